using System.Collections.Immutable;
using Payments.Actors.Events;
using Payments.Actors.Payments;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// The payment saga as pure functions: (state, command, now) -> decision. No I/O, no clock, no grain:
/// everything here is unit-tested without a silo. Each PSP operation has two halves: Start* records
/// the intent (persisted before the PSP is called) and <see cref="Complete"/> applies the PSP's answer.
/// </summary>
public static class PaymentDecider
{
    public static Decision StartCreate(Guid id, CreatePayment command, string psp, DateTimeOffset now)
    {
        var pending = new PendingOperation(PspOperation.Authorize, RequestIdOf(id, PspOperation.Authorize, 0),
            command.AmountMinor, command.IdempotencyKey, RefundId: null, Reason: null, now);
        var state = new PaymentState(
            id, command.MerchantId, command.AmountMinor, command.Currency, command.Capture, PaymentStatus.Initiated,
            AuthorizedMinor: 0, CapturedMinor: 0, RefundedMinor: 0, psp, PspReference: null, DeclineCode: null,
            FailureReason: null, command.Card?.Brand ?? WalletPayments.CardBrand, command.Card?.Last4 ?? string.Empty, command.Reference,
            command.Description, pending, ImmutableArray<RefundSnapshot>.Empty, ImmutableArray<DisputeSnapshot>.Empty, command.IdempotencyKey, command.Fingerprint,
            Version: 1, CreatedAt: now, UpdatedAt: now, command.WalletId, command.Metadata);
        state.AssertInvariants();
        return Decision.Accept(state, new PaymentEvent(PaymentEventTypes.Initiated, command.AmountMinor));
    }

    public static Decision StartCapture(PaymentState state, CapturePayment command, int operationIndex, DateTimeOffset now)
    {
        if (Refuse(state, PaymentStatus.Authorized, "captured") is { } refusal)
        {
            return refusal;
        }

        if (state.AuthorizationExpiresAt is { } expiry && now >= expiry)
        {
            return Decision.Reject(PaymentResultCode.InvalidState,
                $"The authorisation expired at {expiry:O} and can no longer be captured; it is voided by the platform.");
        }

        var amount = command.AmountMinor ?? state.AuthorizedMinor;
        if (amount > state.AuthorizedMinor)
        {
            return Decision.Reject(PaymentResultCode.AmountExceedsAuthorized,
                $"Capture of {amount} exceeds the authorised amount {state.AuthorizedMinor}.");
        }

        return StartOperation(state, PspOperation.Capture, amount, command.IdempotencyKey, refundId: null, reason: null, operationIndex, now);
    }

    public static Decision StartVoid(PaymentState state, VoidPayment command, int operationIndex, DateTimeOffset now) =>
        Refuse(state, PaymentStatus.Authorized, "voided")
        ?? StartOperation(state, PspOperation.Void, state.AuthorizedMinor, command.IdempotencyKey, refundId: null, reason: null, operationIndex, now);

    public static Decision StartRefund(PaymentState state, RefundPayment command, Guid refundId, int refundsMax, int operationIndex, DateTimeOffset now)
    {
        if (Refuse(state, PaymentStatus.Captured, "refunded") is { } refusal)
        {
            return refusal;
        }

        // A disputed amount went back to the cardholder through the chargeback; refunding it too would pay them twice.
        var disputed = state.Disputes.Where(d => d.Status != DisputeStatuses.Won).Sum(d => d.AmountMinor);
        var refundable = Math.Max(0, state.CapturedMinor - state.RefundedMinor - disputed);
        var amount = command.AmountMinor ?? refundable;
        if (amount > refundable || (command.AmountMinor is null && refundable == 0))
        {
            return Decision.Reject(PaymentResultCode.AmountExceedsRefundable,
                $"Refund of {amount} exceeds the refundable amount {refundable} (captured {state.CapturedMinor}, refunded {state.RefundedMinor}" +
                (disputed > 0 ? $", disputed {disputed})." : ")."));
        }

        if (state.Refunds.Length >= refundsMax)
        {
            return Decision.Reject(PaymentResultCode.LimitExceeded, $"A payment takes at most {refundsMax} refunds.");
        }

        return StartOperation(state, PspOperation.Refund, amount, command.IdempotencyKey, refundId, command.Reason, operationIndex, now, command.Metadata);
    }

    /// <summary>
    /// Applies the PSP's answer to the pending operation. An approved authorisation without capture holds for
    /// <paramref name="authorizationValidity"/> (the PSP's; seven days when not given), then is voided by the platform.
    /// </summary>
    public static Decision Complete(PaymentState state, PspResult result, DateTimeOffset now, TimeSpan? authorizationValidity = null)
    {
        var pending = state.Pending;
        Invariant.Assert(pending is not null, $"Payment {state.Id}: a PSP result arrived with no pending operation.");
        if (result.Outcome == PspOutcome.Unknown)
        {
            return Decision.Unchanged;
        }

        var cleared = state with { Pending = null, Version = state.Version + 1, UpdatedAt = now };
        var approved = result.Outcome == PspOutcome.Approved;
        Decision decision = pending!.Operation switch
        {
            PspOperation.Authorize when approved && state.Capture => Decision.Accept(
                cleared with { Status = PaymentStatus.Captured, AuthorizedMinor = state.AmountMinor, CapturedMinor = state.AmountMinor, PspReference = result.PspReference },
                new PaymentEvent(PaymentEventTypes.Authorized, state.AmountMinor),
                new PaymentEvent(PaymentEventTypes.Captured, state.AmountMinor)),
            PspOperation.Authorize when approved => Decision.Accept(
                cleared with
                {
                    Status = PaymentStatus.Authorized, AuthorizedMinor = state.AmountMinor, PspReference = result.PspReference,
                    AuthorizationExpiresAt = now + (authorizationValidity ?? Psp.PspProviderOptions.AuthorizationValidityDefault),
                },
                new PaymentEvent(PaymentEventTypes.Authorized, state.AmountMinor)),
            PspOperation.Authorize when result.Outcome == PspOutcome.Declined => Decision.Accept(
                cleared with { Status = PaymentStatus.Declined, DeclineCode = result.DeclineCode ?? "DECLINED", PspReference = result.PspReference },
                new PaymentEvent(PaymentEventTypes.Declined, state.AmountMinor)),
            // Every PSP refused before anything was sent, for reasons of capacity or health: this attempt
            // failed, but the merchant's key is released so that a retry can try again.
            PspOperation.Authorize when result.Outcome == PspOutcome.Rejected && PspErrorCodes.IsTransient(result.DeclineCode) => new Decision(
                cleared with { Status = PaymentStatus.Failed, FailureReason = result.DeclineCode },
                [new PaymentEvent(PaymentEventTypes.Failed, state.AmountMinor)],
                PaymentResultCode.PspUnavailable,
                $"No PSP could take the payment now ({result.DeclineCode}); nothing was charged. Retry with the same Idempotency-Key."),
            PspOperation.Authorize => Decision.Accept(
                cleared with { Status = PaymentStatus.Failed, FailureReason = FailureReasonOf(result) },
                new PaymentEvent(PaymentEventTypes.Failed, state.AmountMinor)),
            PspOperation.Capture when approved => Decision.Accept(
                cleared with { Status = PaymentStatus.Captured, CapturedMinor = pending.AmountMinor, AuthorizationExpiresAt = null },
                new PaymentEvent(PaymentEventTypes.Captured, pending.AmountMinor)),
            PspOperation.Void when approved => Decision.Accept(
                cleared with { Status = PaymentStatus.Reversed, AuthorizationExpiresAt = null },
                new PaymentEvent(PaymentEventTypes.Voided, state.AuthorizedMinor)),
            PspOperation.Refund when approved => CompleteRefund(cleared, pending, result, now),
            // A refused capture, void or refund leaves the payment as it was; the merchant may try again.
            _ when result.Outcome == PspOutcome.Rejected && PspErrorCodes.IsTransient(result.DeclineCode) => new Decision(cleared, [],
                PaymentResultCode.PspUnavailable, $"The PSP could not take the {pending.WireName} now ({result.DeclineCode}); nothing was sent. Retry with the same Idempotency-Key."),
            _ => new Decision(cleared, [], PaymentResultCode.PspRejected,
                $"The PSP refused the {pending.WireName}: {FailureReasonOf(result)}."),
        };

        decision.NewState?.AssertInvariants();
        return decision;
    }

    /// <summary>
    /// Moves a pending authorisation to another PSP. Only for an attempt that provably charged nothing
    /// (the caller checks <see cref="PspErrorCodes.AllowsFailover"/>); committed before the new PSP is
    /// called, so an inquiry after a crash asks the PSP that may hold the authorisation.
    /// </summary>
    public static PaymentState Reroute(PaymentState state, string psp, DateTimeOffset now)
    {
        Invariant.Assert(state.Pending is { Operation: PspOperation.Authorize }, $"Payment {state.Id}: only a pending authorisation can change PSP.");
        Invariant.Assert(state.PspReference is null, $"Payment {state.Id}: PSP {state.Psp} already holds reference {state.PspReference}.");
        Invariant.Assert(!string.Equals(state.Psp, psp, StringComparison.OrdinalIgnoreCase), $"Payment {state.Id}: rerouted to the same PSP {psp}.");
        var next = state with { Psp = psp, Version = state.Version + 1, UpdatedAt = now };
        next.AssertInvariants();
        return next;
    }

    /// <summary>Our idempotency key at the PSP for the n-th operation on a payment: the same after any crash or retry.</summary>
    public static string RequestIdOf(Guid paymentId, PspOperation operation, int operationIndex) =>
        $"{paymentId:N}-{operation.ToString().ToLowerInvariant()}-{operationIndex}";

    private static Decision CompleteRefund(PaymentState cleared, PendingOperation pending, PspResult result, DateTimeOffset now)
    {
        var refunded = cleared.RefundedMinor + pending.AmountMinor;
        var refund = new RefundSnapshot(pending.RefundId!.Value, pending.AmountMinor, RefundStatuses.Succeeded,
            result.OperationReference, pending.Reason, now, pending.Metadata);
        var state = cleared with
        {
            RefundedMinor = refunded,
            Refunds = cleared.Refunds.Add(refund),
            Status = refunded == cleared.CapturedMinor ? PaymentStatus.Refunded : PaymentStatus.Captured,
        };
        return Decision.Accept(state, new PaymentEvent(PaymentEventTypes.Refunded, pending.AmountMinor, pending.RefundId));
    }

    private static Decision StartOperation(PaymentState state, PspOperation operation, long amount, string idempotencyKey,
        Guid? refundId, string? reason, int operationIndex, DateTimeOffset now, Metadata? metadata = null)
    {
        // The edge refuses non-positive amounts; reaching here with one is a bug, and it must not reach a PSP.
        Invariant.Assert(amount > 0, $"Payment {state.Id}: a {operation} of {amount} must be positive.");
        var pending = new PendingOperation(operation, RequestIdOf(state.Id, operation, operationIndex), amount, idempotencyKey, refundId, reason, now, metadata);
        var next = state with { Pending = pending, Version = state.Version + 1, UpdatedAt = now };
        next.AssertInvariants();
        return Decision.Accept(next);
    }

    /// <summary>The checks every follow-up operation shares: terminal, busy, or in the wrong state.</summary>
    private static Decision? Refuse(PaymentState state, PaymentStatus required, string verb)
    {
        if (state.Pending is not null)
        {
            return Decision.Reject(PaymentResultCode.OperationInProgress,
                $"The payment's {state.Pending.WireName} is still waiting for the PSP; retry later.");
        }

        return state.Status == required
            ? null
            : Decision.Reject(PaymentResultCode.InvalidState,
                $"A payment in state {state.Status.ToWire()} cannot be {verb}; it must be {required.ToWire()}.");
    }

    private static string FailureReasonOf(PspResult result) => result.Outcome switch
    {
        PspOutcome.NotFound => "NOT_PROCESSED_BY_PSP",
        _ => result.DeclineCode ?? result.Message ?? "PSP_REJECTED",
    };
}
