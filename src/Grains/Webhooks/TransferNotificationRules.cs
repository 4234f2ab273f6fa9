using Payments.Actors.Grains.Bank;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// What the Bank's notification about a cash-in or cash-out means for the wallet; a pure function of the wallet, the
/// operation as stored (read only when it is no longer pending) and the notification, like <see cref="NotificationRules"/>
/// for payments. The notification's <c>transfer_ref</c> is our request id at the Bank. It settles only the pending
/// transfer it answers, with the answer a live call or a status inquiry would have given (booked: approved; rejected:
/// declined with the reason code normalised as <see cref="BankConnector"/> normalises live answers), so it goes through
/// the same completion. Anything else changes nothing: what the operation already says is a duplicate, and what
/// contradicts it (the opposite outcome, another amount or currency) is a discrepancy for reconciliation. No
/// notification can change a completed operation or move money twice, because none is applied except to a pending one.
/// </summary>
public static class TransferNotificationRules
{
    /// <summary>The pending transfer the notification answers, if the wallet has one.</summary>
    public static PendingBankOperation? PendingFor(WalletAggregate wallet, PspNotification n) =>
        wallet.Pending.Values.FirstOrDefault(o => string.Equals(o.RequestId, n.TransferRef, StringComparison.Ordinal));

    /// <param name="wallet">The wallet as the grain holds it (its pending transfers).</param>
    /// <param name="finished">The operation named by the transfer ref as stored, when the wallet holds it as pending no longer; null if there is none.</param>
    /// <param name="n">The Bank's notification.</param>
    public static NotificationVerdict Judge(WalletAggregate wallet, StoredTransfer? finished, PspNotification n)
    {
        var wire = NotificationRules.Wire(n.Kind);
        if (n.Kind is not (PspNotificationKind.TransferBooked or PspNotificationKind.TransferRejected))
        {
            return NotificationVerdict.NotSupported($"'{wire}' is not about a bank transfer; a wallet processes only the Bank's transfer notifications.");
        }

        var pending = PendingFor(wallet, n);
        if (wallet.State is not { } state || (pending is null && finished is null))
        {
            return new NotificationVerdict(PspNotificationOutcome.UnknownTransfer, null,
                $"Wallet {wallet.WalletId} has no cash-in or cash-out with transfer reference '{n.TransferRef}'.");
        }

        var (kind, amount, currency, operationState) = pending is { } p
            ? (p.Kind, p.AmountMinor, state.Currency, WalletOperationStates.Pending)
            : (finished!.Kind, finished.AmountMinor, finished.Currency, finished.State);
        if (!string.Equals(n.Provider, WebhookProviders.Bank, StringComparison.OrdinalIgnoreCase))
        {
            return NotificationVerdict.Contradicts($"{n.Provider} sent '{wire}' for a {kind} made at the Bank.");
        }

        if (n.AmountMinor != amount || !string.Equals(n.Currency, currency, StringComparison.Ordinal))
        {
            return NotificationVerdict.Contradicts($"The Bank says '{wire}' of {n.AmountMinor} {n.Currency} for a {kind} of {amount} {currency} ({operationState}).");
        }

        var booked = n.Kind == PspNotificationKind.TransferBooked;
        if (pending is not null)
        {
            return booked
                ? NotificationVerdict.Settle(new PspResult(PspOutcome.Approved, n.PspReference, null, null), $"The Bank booked the pending {kind}.")
                : NotificationVerdict.Settle(new PspResult(PspOutcome.Declined, n.PspReference, BankConnector.DeclineCodeOf(n.Reason), null),
                    $"The Bank rejected the pending {kind} ({n.Reason ?? "no reason code"}).");
        }

        // Declined or failed: either way the Bank moved nothing, which is what a rejection says.
        var agrees = booked
            ? operationState == WalletOperationStates.Succeeded
            : operationState is WalletOperationStates.Declined or WalletOperationStates.Failed;
        return agrees
            ? NotificationVerdict.Reflected($"The {kind} is already {operationState}.")
            : NotificationVerdict.Contradicts($"The Bank says '{wire}'; the {kind} is {operationState}.");
    }
}
