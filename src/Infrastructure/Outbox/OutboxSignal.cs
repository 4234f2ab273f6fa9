using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Infrastructure.Outbox;

/// <summary>Wakes the outbox relay when a transaction that wrote outbox rows commits in this process (see <see cref="CommitSignal"/>).</summary>
public sealed class OutboxSignal : CommitSignal;
