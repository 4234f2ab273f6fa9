namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// Wakes the webhook dispatcher when a transaction that inserted webhook deliveries commits in this process (see
/// <see cref="CommitSignal"/>): only statements that inserted a delivery pulse it, so merchants without endpoints cost
/// the dispatcher nothing.
/// </summary>
public sealed class WebhookSignal : CommitSignal;
