using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>The wallet as a payment method: it answers a payment's PSP requests the way a PSP would.</summary>
public static partial class WalletDecider
{
    /// <summary>
    /// Decides a payment's request on the wallet. Every request is recorded, declines included, so that an inquiry
    /// (or a retry of the same request id) gets the same answer.
    /// </summary>
    public static WalletPaymentDecision ExecutePayment(WalletAggregate wallet, PspRequest request, Guid operationId, int holdsMax, DateTimeOffset now)
    {
        Invariant.Assert(wallet.State is not null, $"Wallet {wallet.WalletId}: a payment request reached a wallet that does not exist.");
        var (kind, next, result, holdChange) = DecidePayment(wallet, wallet.State!, request, operationId, holdsMax, now);
        var operationState = result.Outcome switch
        {
            PspOutcome.Approved => WalletOperationStates.Succeeded,
            PspOutcome.Declined => WalletOperationStates.Declined,
            _ => WalletOperationStates.Failed,
        };
        var recorded = new OperationRecorded(operationId, kind, null, null, request.RequestId, request.AmountMinor, operationState,
            request.PaymentId, result.DeclineCode, result);
        return new WalletPaymentDecision(next, holdChange is null ? [recorded] : [holdChange, recorded], result);
    }

    /// <summary>What a wallet that does not exist answers: a decline, so the payment fails instead of waiting.</summary>
    public static PspResult WalletNotFound(string walletId) =>
        new(PspOutcome.Declined, null, "WALLET_NOT_FOUND", $"Wallet {walletId} does not exist.");

    private static (string Kind, WalletAggregate Next, PspResult Result, WalletChange? Hold) DecidePayment(WalletAggregate wallet, WalletState state,
        PspRequest request, Guid operationId, int holdsMax, DateTimeOffset now)
    {
        var reference = $"wallet_{request.PaymentId:N}";
        switch (request.Operation)
        {
            case PspOperation.Authorize:
            {
                var (next, result, hold) = Authorize(wallet, state, request, reference, holdsMax, now);
                return (WalletOperationKinds.PaymentAuthorize, next, result, hold);
            }

            case PspOperation.Capture or PspOperation.Void:
            {
                var capture = request.Operation == PspOperation.Capture;
                var kind = capture ? WalletOperationKinds.PaymentCapture : WalletOperationKinds.PaymentVoid;
                if (!wallet.Holds.TryGetValue(request.PaymentId, out var hold))
                {
                    return (kind, wallet, new PspResult(PspOutcome.Rejected, reference, "INVALID_TRANSACTION", "The payment holds nothing on this wallet."), null);
                }

                var captured = capture ? request.AmountMinor : 0;
                if (captured > hold.AmountMinor)
                {
                    return (kind, wallet, new PspResult(PspOutcome.Rejected, reference, "INVALID_AMOUNT", $"The payment holds {hold.AmountMinor}."), null);
                }

                return (kind, wallet with { State = state.EndHold(hold.AmountMinor, captured, now), Holds = wallet.Holds.Remove(hold.HoldId) },
                    new PspResult(PspOutcome.Approved, reference, null, null),
                    new HoldEnded(hold.HoldId, capture ? WalletHoldStates.Captured : WalletHoldStates.Released, captured));
            }

            case PspOperation.Refund:
                // The payment grain allows no refund beyond what it captured; the wallet gets the money back.
                return (WalletOperationKinds.PaymentRefund, wallet with { State = state.Credit(request.AmountMinor, now) },
                    new PspResult(PspOutcome.Approved, reference, null, null, OperationReference: operationId.ToString("N")), null);

            default:
                return (WalletOperationKinds.PaymentAuthorize, wallet,
                    new PspResult(PspOutcome.Rejected, reference, "INVALID_TRANSACTION", $"A wallet does not take a {request.Operation}."), null);
        }
    }

    private static (WalletAggregate Next, PspResult Result, WalletChange? Hold) Authorize(WalletAggregate wallet, WalletState state, PspRequest request,
        string reference, int holdsMax, DateTimeOffset now)
    {
        if (state.Currency != request.Currency)
        {
            return (wallet, new PspResult(PspOutcome.Declined, reference, "CURRENCY_MISMATCH", $"The wallet holds {state.Currency}."), null);
        }

        if (state.AvailableMinor < request.AmountMinor)
        {
            return (wallet, new PspResult(PspOutcome.Declined, reference, "INSUFFICIENT_FUNDS", null), null);
        }

        if (wallet.Holds.Count >= holdsMax)
        {
            return (wallet, new PspResult(PspOutcome.Declined, reference, "LIMIT_EXCEEDED", "The wallet has too many open holds."), null);
        }

        // The payment's id names its hold: its capture, void or refund finds it again.
        var hold = new WalletHold(request.PaymentId, request.AmountMinor, request.PaymentId, ExpiresAt: null, now);
        var approved = new PspResult(PspOutcome.Approved, reference, null, null);
        return request.Capture
            ? (wallet with { State = state.Debit(request.AmountMinor, now) }, approved, new HoldOpened(hold, WalletHoldStates.Captured, request.AmountMinor))
            : (wallet with { State = state.Hold(request.AmountMinor, now), Holds = wallet.Holds.SetItem(hold.HoldId, hold) }, approved,
                new HoldOpened(hold, WalletHoldStates.Held, 0));
    }
}
