using Payments.Actors.Events;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// Chargebacks, as pure functions of the payment and the PSP's dispute notification. A dispute is known by the PSP's id
/// of it, so a repeated notification finds it and changes nothing. Opening one withdraws the disputed amount
/// (<c>dispute.created</c>), winning it reinstates the amount (<c>dispute.won</c>), losing it moves nothing more
/// (<c>dispute.lost</c>); the ledger posts the first two. A close that arrives before its open (the PSP's notifications
/// crossed) opens and closes the dispute at once, so the open, when it comes, is a duplicate. The payment's status and
/// amounts never change: a dispute is beside the payment, not a state of it.
/// </summary>
public static class DisputeRules
{
    public static NotificationVerdict Judge(PaymentState state, PspNotification n, DateTimeOffset now, Guid newDisputeId)
    {
        if (n.OperationReference is not { Length: > 0 } reference)
        {
            return NotificationVerdict.Contradicts($"'{NotificationRules.Wire(n.Kind)}' names no dispute.");
        }

        var existing = state.DisputeByPspReference(reference);
        if (n.Kind == PspNotificationKind.DisputeOpened)
        {
            return existing is null
                ? Open(state, n, reference, now, newDisputeId, outcome: null)
                : NotificationVerdict.Reflected($"Dispute {existing.Id} ({reference}) is already {existing.Status}.");
        }

        if (n.DisputeOutcome is not (DisputeStatuses.Won or DisputeStatuses.Lost))
        {
            return NotificationVerdict.Contradicts($"The PSP closed dispute {reference} with no outcome this platform knows ('{n.DisputeOutcome}').");
        }

        if (existing is null)
        {
            return Open(state, n, reference, now, newDisputeId, n.DisputeOutcome);
        }

        if (!existing.IsOpen)
        {
            return existing.Status == n.DisputeOutcome
                ? NotificationVerdict.Reflected($"Dispute {existing.Id} ({reference}) is already {existing.Status}.")
                : NotificationVerdict.Contradicts($"The PSP says dispute {reference} was {n.DisputeOutcome}; we closed it {existing.Status}.");
        }

        var closed = existing with { Status = n.DisputeOutcome, UpdatedAt = now, ClosedAt = now };
        return NotificationVerdict.Change(
            Decision.Accept(Replace(state, closed, now), Closing(closed)),
            $"The PSP closed dispute {reference}: {n.DisputeOutcome}.");
    }

    /// <summary>A new dispute, still open (<paramref name="outcome"/> null) or already closed when its close came first.</summary>
    private static NotificationVerdict Open(PaymentState state, PspNotification n, string reference, DateTimeOffset now, Guid id, string? outcome)
    {
        var amount = n.AmountMinor ?? state.CapturedMinor;
        var withdrawn = state.Disputes.Where(d => d.Status != DisputeStatuses.Won).Sum(d => d.AmountMinor);
        if (state.CapturedMinor == 0 || amount > state.CapturedMinor - withdrawn)
        {
            return NotificationVerdict.Contradicts(
                $"The PSP disputes {amount} ({reference}); the payment is {state.Status.ToWire()} with {state.CapturedMinor} captured and {withdrawn} already disputed.");
        }

        var created = UuidV7.TimestampOf(id);
        var dispute = new DisputeSnapshot(id, state.Id, state.MerchantId, state.Psp, reference, amount, state.Currency,
            outcome ?? DisputeStatuses.NeedsResponse, n.Reason, n.DisputeDueBy, created, now, outcome is null ? null : now);
        var next = state with { Disputes = state.Disputes.Add(dispute), Version = state.Version + 1, UpdatedAt = now };
        next.AssertInvariants();
        PaymentEvent[] events = outcome is null
            ? [new PaymentEvent(PaymentEventTypes.DisputeCreated, amount, DisputeId: id)]
            : [new PaymentEvent(PaymentEventTypes.DisputeCreated, amount, DisputeId: id), Closing(dispute)];
        return NotificationVerdict.Change(Decision.Accept(next, events),
            outcome is null ? $"The PSP opened dispute {reference} for {amount}." : $"The PSP closed dispute {reference} ({outcome}) before we heard it open.");
    }

    private static PaymentEvent Closing(DisputeSnapshot dispute) => new(
        dispute.Status == DisputeStatuses.Won ? PaymentEventTypes.DisputeWon : PaymentEventTypes.DisputeLost, dispute.AmountMinor, DisputeId: dispute.Id);

    private static PaymentState Replace(PaymentState state, DisputeSnapshot dispute, DateTimeOffset now)
    {
        var next = state with
        {
            Disputes = state.Disputes.Replace(state.Disputes.First(d => d.Id == dispute.Id), dispute),
            Version = state.Version + 1,
            UpdatedAt = now,
        };
        next.AssertInvariants();
        return next;
    }
}
