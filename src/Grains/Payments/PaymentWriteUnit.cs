using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Turns a <see cref="PaymentDecider"/> decision into the one write unit that commits it: the payment's row (guarded
/// by the version the decision started from), the merchant's key, and the decision's events for the outbox, so the
/// payment, its idempotency record and the events that tell the ledger about it commit together or not at all.
/// </summary>
public static class PaymentWriteUnit
{
    public static IReadOnlyList<SqlStatement> Create(Decision decision, CreatePayment command, TimeSpan keyTtl)
    {
        var state = decision.NewState!;
        var unit = new List<SqlStatement>
        {
            PaymentStore.InsertPayment(state),
            IdempotencyKeys.Claim(command.MerchantId, command.IdempotencyKey, command.Fingerprint, command.FieldDigests, "create", state.Id, state.CreatedAt, keyTtl),
        };
        AddOutbox(unit, state, decision.Events, state.CreatedAt);
        return unit;
    }

    /// <summary>A follow-up operation's intent, committed before the PSP is called, with the claim of the key that names it.</summary>
    public static IReadOnlyList<SqlStatement> StartOperation(PaymentState before, PaymentState next, IIdempotentCommand command, string operation,
        TimeSpan keyTtl, DateTimeOffset now) =>
    [
        PaymentStore.UpdatePayment(next, before.Version),
        IdempotencyKeys.Claim(command.MerchantId, command.IdempotencyKey, command.Fingerprint, command.FieldDigests, operation, next.Id, now, keyTtl),
    ];

    /// <summary>The PSP's answer: a refused operation frees its key for a retry, a finished one stores the result every replay returns.</summary>
    public static IReadOnlyList<SqlStatement> Complete(PaymentState before, Decision decision, PaymentResult finished, DateTimeOffset now)
    {
        var next = decision.NewState!;
        var pending = before.Pending!;
        var unit = new List<SqlStatement> { PaymentStore.UpdatePayment(next, before.Version) };
        AddOutbox(unit, next, decision.Events, now);
        unit.Add(decision.IsRejected
            ? PaymentStore.ReleaseKey(before.MerchantId, pending.IdempotencyKey)
            : PaymentStore.CompleteKey(before.MerchantId, pending.IdempotencyKey, finished));
        return unit;
    }

    private static void AddOutbox(List<SqlStatement> unit, PaymentState state, IReadOnlyList<PaymentEvent> events, DateTimeOffset now)
    {
        foreach (var @event in events)
        {
            unit.Add(PaymentStore.InsertOutbox(state, @event, UuidV7.New(now), now));
        }
    }
}
