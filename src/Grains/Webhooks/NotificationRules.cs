using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// What a PSP notification means for one payment; a pure function of the payment's state and the notification.
/// A notification settles only the pending operation it answers, with the answer a status inquiry would have given, so
/// it goes through the same completion as every other PSP answer. Anything else changes nothing: what the payment
/// already says is a duplicate or a stale notification, and what contradicts it is a discrepancy for reconciliation.
/// No notification can move a payment backwards or change a terminal state, because none is applied except as the
/// answer to a pending operation.
/// </summary>
public static class NotificationRules
{
    /// <summary>Judges <paramref name="n"/> at <paramref name="now"/>; a dispute it opens gets <paramref name="newDisputeId"/> (a UUIDv7).</summary>
    public static NotificationVerdict Judge(PaymentState state, PspNotification n, DateTimeOffset now, Guid newDisputeId)
    {
        if (!string.Equals(n.Provider, state.Psp, StringComparison.OrdinalIgnoreCase))
        {
            return NotificationVerdict.Contradicts($"{n.Provider} sent '{Wire(n.Kind)}' for a payment held at {state.Psp}.");
        }

        if (n.Currency is { } currency && !string.Equals(currency, state.Currency, StringComparison.Ordinal))
        {
            return NotificationVerdict.Contradicts($"'{Wire(n.Kind)}' in {currency} for a payment in {state.Currency}.");
        }

        if (state.PspReference is { } ours && n.PspReference is { } theirs && !string.Equals(ours, theirs, StringComparison.Ordinal))
        {
            return NotificationVerdict.Contradicts($"'{Wire(n.Kind)}' names PSP payment {theirs}; ours is {ours}.");
        }

        return (n.Kind, state.Pending?.Operation) switch
        {
            (PspNotificationKind.DisputeOpened or PspNotificationKind.DisputeClosed, _) => DisputeRules.Judge(state, n, now, newDisputeId),
            (PspNotificationKind.TransferBooked or PspNotificationKind.TransferRejected, _) =>
                NotificationVerdict.NotSupported("A bank transfer notification names no payment."),
            (PspNotificationKind.Authorized or PspNotificationKind.Captured or PspNotificationKind.Declined, PspOperation.Authorize) => SettleAuthorisation(state, n),
            (PspNotificationKind.Captured, PspOperation.Capture) when n.AmountMinor is null || n.AmountMinor == state.Pending!.AmountMinor =>
                NotificationVerdict.Settle(new PspResult(PspOutcome.Approved, n.PspReference, null, null), "The PSP captured the pending capture."),
            (PspNotificationKind.Voided, PspOperation.Void) =>
                NotificationVerdict.Settle(new PspResult(PspOutcome.Approved, n.PspReference, null, null), "The PSP cancelled the authorisation."),
            (PspNotificationKind.Refunded, PspOperation.Refund) when !KnowsRefund(state, n) && (n.AmountMinor is null || n.AmountMinor == state.Pending!.AmountMinor) =>
                NotificationVerdict.Settle(new PspResult(PspOutcome.Approved, null, null, null, n.OperationReference), "The PSP completed the pending refund."),
            _ => AgainstSettledFacts(state, n),
        };
    }

    /// <summary>A pending authorisation: approved (for a sale, the authorisation is its capture, as the connectors read it) or declined.</summary>
    private static NotificationVerdict SettleAuthorisation(PaymentState state, PspNotification n)
    {
        if (n.Kind == PspNotificationKind.Declined)
        {
            return NotificationVerdict.Settle(new PspResult(PspOutcome.Declined, n.PspReference, DeclineCodeOf(n.Reason), null), "The PSP declined the authorisation.");
        }

        if (n.Kind == PspNotificationKind.Captured && !state.Capture)
        {
            return NotificationVerdict.Contradicts("The PSP says it captured an authorisation we asked for without capture.");
        }

        return n.AmountMinor is { } amount && amount != state.AmountMinor
            ? NotificationVerdict.Contradicts($"The PSP approved {amount} for a payment of {state.AmountMinor}.")
            : NotificationVerdict.Settle(new PspResult(PspOutcome.Approved, n.PspReference, null, null), "The PSP approved the authorisation.");
    }

    /// <summary>No pending operation this notification answers: it must agree with what the payment already says.</summary>
    private static NotificationVerdict AgainstSettledFacts(PaymentState state, PspNotification n)
    {
        var status = state.Status;
        var agrees = n.Kind switch
        {
            PspNotificationKind.Authorized => status is PaymentStatus.Authorized or PaymentStatus.Captured or PaymentStatus.Refunded or PaymentStatus.Reversed,
            PspNotificationKind.Captured or PspNotificationKind.CaptureSettled => status is PaymentStatus.Captured or PaymentStatus.Refunded
                && (n.AmountMinor is null || n.AmountMinor == state.CapturedMinor),
            PspNotificationKind.Voided => status == PaymentStatus.Reversed,
            PspNotificationKind.Declined => status == PaymentStatus.Declined,
            PspNotificationKind.Refunded => KnowsRefund(state, n),
            _ => false,
        };
        if (!agrees)
        {
            var amount = n.AmountMinor is { } a ? $" of {a}" : "";
            return NotificationVerdict.Contradicts(
                $"The PSP says '{Wire(n.Kind)}'{amount}; the payment is {status.ToWire()} (captured {state.CapturedMinor}, refunded {state.RefundedMinor})" +
                (state.Pending is { } p ? $" with a pending {p.WireName}." : "."));
        }

        return n.Kind == PspNotificationKind.CaptureSettled
            ? NotificationVerdict.Record($"The PSP settled the capture of {state.CapturedMinor}.")
            : NotificationVerdict.Reflected($"The payment is already {status.ToWire()}.");
    }

    /// <summary>
    /// A refund the payment already holds: by the PSP's refund id, or by amount where either side has no id to compare
    /// (a refund settled by an inquiry may not have stored one).
    /// </summary>
    private static bool KnowsRefund(PaymentState state, PspNotification n) => state.Refunds.Any(r =>
        n.OperationReference is { } theirs && r.PspReference is { } ours
            ? string.Equals(ours, theirs, StringComparison.Ordinal)
            : n.AmountMinor is { } amount && r.AmountMinor == amount);

    /// <summary>PSP A's decline reasons and PSP B's response codes, normalised as the connectors normalise live answers.</summary>
    public static string DeclineCodeOf(string? reason) => reason?.ToLowerInvariant() switch
    {
        null or "" => "DECLINED",
        "insufficient_funds" => "INSUFFICIENT_FUNDS",
        "expired_card" => "EXPIRED_CARD",
        "amount_limit" => "AMOUNT_LIMIT_EXCEEDED",
        "do_not_honor" => "DO_NOT_HONOR",
        var code when code.Length == 2 && char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1]) => PspBConnector.DeclineCodeOf(code),
        _ => "DECLINED",
    };

    /// <summary>The kind as docs/psp-webhooks.md spells it.</summary>
    public static string Wire(PspNotificationKind kind) => kind switch
    {
        PspNotificationKind.CaptureSettled => "capture_settled",
        PspNotificationKind.DisputeOpened => "dispute_opened",
        PspNotificationKind.DisputeClosed => "dispute_closed",
        PspNotificationKind.TransferBooked => "transfer_booked",
        PspNotificationKind.TransferRejected => "transfer_rejected",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
