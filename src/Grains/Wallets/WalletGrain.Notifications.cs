using Microsoft.Extensions.Logging;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Wallets;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Wallets;

/// <summary>The Bank's notifications: the Bank tells the wallet what became of a transfer, often before an inquiry would have asked.</summary>
public sealed partial class WalletGrain
{
    public async Task<PspNotificationOutcome> ApplyTransferNotificationAsync(PspNotification notification)
    {
        await EnsureLoadedAsync();
        var (pending, finished) = await TransferOfAsync(notification);
        var verdict = TransferNotificationRules.Judge(Wallet, finished, notification);
        switch (verdict.Outcome)
        {
            case PspNotificationOutcome.Applied:
                var result = await CompleteTransferAsync(pending!, verdict.Settles!);
                if (Wallet.Pending.ContainsKey(pending!.OperationId) || result.Replayed || result.Code != WalletResultCode.Ok)
                {
                    // The commit lost to another activation (which finished the transfer, or changed the wallet): nothing was
                    // applied. The consumer offers the notification again and it is judged against what is true then.
                    throw new InvalidOperationException(
                        $"Wallet {WalletId}: notification {notification.ProviderEventId} could not settle the {pending.Kind} {pending.RequestId} ({result.Code}).");
                }

                LogApplied(logger, WalletId, notification.ProviderEventId, NotificationRules.Wire(notification.Kind), pending.Kind, pending.RequestId);
                break;
            case PspNotificationOutcome.Discrepancy:
                var (operationId, state) = pending is { } p ? (p.OperationId, WalletOperationStates.Pending) : (finished!.OperationId, finished.State);
                await store.WriteAsync([PspDiscrepancies.InsertForTransfer(notification, WalletId, operationId, state, verdict.Detail, Now())]);
                LogDiscrepancy(logger, WalletId, notification.Provider, notification.ProviderEventId, verdict.Detail);
                break;
        }

        return verdict.Outcome;
    }

    /// <summary>
    /// The transfer the notification names: pending in this activation, or else as stored. One stored as pending that this
    /// activation does not hold was started by another: reload, and if it is still not ours, let the consumer retry.
    /// </summary>
    private async Task<(PendingBankOperation? Pending, StoredTransfer? Finished)> TransferOfAsync(PspNotification notification)
    {
        if (TransferNotificationRules.PendingFor(Wallet, notification) is { } pending)
        {
            return (pending, null);
        }

        if (Wallet.State is not { } state || notification.TransferRef is not { } transferRef
            || await store.FindTransferAsync(state.Uid, transferRef) is not { } stored)
        {
            return (null, null);
        }

        if (stored.State != WalletOperationStates.Pending)
        {
            return (null, stored);
        }

        await LoadAsync();
        return TransferNotificationRules.PendingFor(Wallet, notification) is { } reloaded
            ? (reloaded, null)
            : throw new InvalidOperationException($"Wallet {WalletId}: the {stored.Kind} {transferRef} is pending in the database but not in this activation.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wallet {WalletId}: Bank notification {EventId} ({Kind}) settled the pending {Operation} {RequestId}")]
    private static partial void LogApplied(ILogger logger, string walletId, string eventId, string kind, string operation, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId}: {Provider} notification {EventId} contradicts the transfer, recorded as a discrepancy: {Detail}")]
    private static partial void LogDiscrepancy(ILogger logger, string walletId, string provider, string eventId, string detail);
}
