using Payments.Actors.Events;
using Payments.Actors.Grains.Disputes;
using Payments.Actors.Grains.MerchantEvents;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Turns a <see cref="PaymentDecider"/> decision into the one write unit that commits it: the payment's row (guarded
/// by the version the decision started from), the merchant's key, and the decision's events for the outbox, so the
/// payment, its idempotency record and the events that tell the ledger about it commit together or not at all. Each
/// outbox event has its merchant event (same id, the payment as the API shows it after the change) and its webhook
/// deliveries in the same unit: what the merchant hears and what the ledger books come from one commit. A dispute's
/// events show the dispute, every other event the payment.
/// </summary>
public static class PaymentWriteUnit
{
    public static IReadOnlyList<SqlStatement> Create(Decision decision, CreatePayment command, TimeSpan keyTtl, IMerchantEventRenderer renderer)
    {
        var state = decision.NewState!;
        var unit = new List<SqlStatement>
        {
            PaymentStore.InsertPayment(state),
            IdempotencyKeys.Claim(command.MerchantId, command.IdempotencyKey, command.Fingerprint, command.FieldDigests, "create", state.Id, state.CreatedAt, keyTtl),
        };
        AddEvents(unit, state, decision.Events, state.CreatedAt, renderer);
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
    public static IReadOnlyList<SqlStatement> Complete(PaymentState before, Decision decision, PaymentResult finished, DateTimeOffset now,
        IMerchantEventRenderer renderer)
    {
        var next = decision.NewState!;
        var pending = before.Pending!;
        var unit = new List<SqlStatement> { PaymentStore.UpdatePayment(next, before.Version) };
        AddEvents(unit, next, decision.Events, now, renderer);
        unit.Add(decision.IsRejected
            ? PaymentStore.ReleaseKey(before.MerchantId, pending.IdempotencyKey)
            : PaymentStore.CompleteKey(before.MerchantId, pending.IdempotencyKey, finished));
        return unit;
    }

    /// <summary>
    /// A dispute opened or closed by the PSP (<see cref="Webhooks.DisputeRules"/>): the payment's row, the <c>disputes</c>
    /// rows the decision changed, and its events. No key: the PSP's notification is idempotent by the dispute's PSP id.
    /// </summary>
    public static IReadOnlyList<SqlStatement> Dispute(PaymentState before, Decision decision, DateTimeOffset now, IMerchantEventRenderer renderer)
    {
        var next = decision.NewState!;
        var unit = new List<SqlStatement> { PaymentStore.UpdatePayment(next, before.Version) };
        foreach (var id in decision.Events.Select(e => e.DisputeId).OfType<Guid>().Distinct())
        {
            unit.Add(DisputeStore.Upsert(next.Disputes.Single(d => d.Id == id)));
        }

        AddEvents(unit, next, decision.Events, now, renderer);
        return unit;
    }

    /// <summary>
    /// The decision's events for the outbox and the merchant. Their ids share the millisecond of <paramref name="now"/>
    /// and are handed out in ascending order, so the events of one decision list and send in the order they happened.
    /// </summary>
    private static void AddEvents(List<SqlStatement> unit, PaymentState state, IReadOnlyList<PaymentEvent> events, DateTimeOffset now,
        IMerchantEventRenderer renderer)
    {
        if (events.Count == 0)
        {
            return;
        }

        var ids = events.Select(_ => UuidV7.New(now)).Order().ToArray();
        var shown = state.ToSnapshot();
        for (var i = 0; i < events.Count; i++)
        {
            var (id, type) = (ids[i], events[i].Type);
            unit.Add(PaymentStore.InsertOutbox(state, events[i], id, now));
            var body = events[i].DisputeId is { } disputeId
                ? renderer.RenderDispute(id, type, UuidV7.TimestampOf(id), state.Disputes.Single(d => d.Id == disputeId))
                : renderer.RenderPayment(id, type, UuidV7.TimestampOf(id), shown);
            unit.Add(MerchantEventStore.Insert(id, state.MerchantId, type, body));
        }
    }
}
