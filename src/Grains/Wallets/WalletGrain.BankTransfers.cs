using Microsoft.Extensions.Logging;
using Payments.Actors.Bank;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>The wallet's conversation with the Bank: sending a committed transfer, asking about unknown answers, applying them.</summary>
public sealed partial class WalletGrain
{
    private async Task<WalletResult> SendToBankAsync(PendingBankOperation operation, string? iban)
    {
        var order = Order(operation, iban ?? _options.SettlementIban);
        var result = await AskAsync(() => GrainFactory.GetGrain<IBankAdapterGrain>(IBankAdapterGrain.Key).TransferAsync(order),
            exception => LogBankCallFailed(logger, exception, WalletId, operation.RequestId));
        return await CompleteTransferAsync(operation, result);
    }

    /// <summary>Applies the Bank's answer (live or from a status inquiry) to a pending transfer and commits it.</summary>
    private async Task<WalletResult> CompleteTransferAsync(PendingBankOperation operation, PspResult result)
    {
        var before = Wallet;
        var now = Now();
        var decision = WalletDecider.ApplyBankOutcome(before, operation, result, now);
        if (decision.Next is not { } next)
        {
            LogOutcomeUnknown(logger, WalletId, operation.Kind, operation.RequestId, result.Message);
            ScheduleInquiry();
            return decision.Result;
        }

        if (await WriteAsync(WalletWriteUnit.Of(before, next, decision.Changes, decision.Events, Timings.IdempotencyKeyTtl, now, merchantEvents, decision.Result)) == WriteOutcome.Conflict)
        {
            await LoadAsync();
            if (decision.Rejection == WalletResultCode.BankUnavailable)
            {
                return WalletDecider.ChangedConcurrently();
            }

            // Another activation finished it; what it wrote is the truth.
            var stored = await store.FindByKeyAsync(MerchantId, operation.IdempotencyKey);
            return stored?.Result is { } bytes ? Deserialize(bytes) with { Replayed = true } : WalletDecider.ChangedConcurrently();
        }

        _wallet = next;
        await StopReminderIfIdleAsync();
        return decision.Result;
    }

    protected override async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        BeginInquiryRound();
        foreach (var operation in Wallet.Pending.Values.OrderBy(o => o.StartedAt).ToList())
        {
            if (!Wallet.Pending.ContainsKey(operation.OperationId))
            {
                continue;
            }

            var order = Order(operation, iban: null);
            var result = await AskAsync(() => GrainFactory.GetGrain<IBankAdapterGrain>(IBankAdapterGrain.Key).InquireAsync(order),
                exception => LogBankCallFailed(logger, exception, WalletId, operation.RequestId));
            await CompleteTransferAsync(operation, WithinNotFoundGrace(result, operation.StartedAt, "the Bank"));
        }

        if (Wallet.Pending.IsEmpty)
        {
            ResetInquiryBackoff();
        }
    }

    /// <summary>Our request id is the Bank's idempotency key and the transfer's reference: the same after any crash or retry.</summary>
    private BankTransferOrder Order(PendingBankOperation operation, string? iban) =>
        new(operation.RequestId, operation.IsCashOut ? BankTransferKind.CashOut : BankTransferKind.CashIn,
            operation.RequestId, operation.AmountMinor, Wallet.State!.Currency, iban);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId}: the Bank's answer to {Kind} {RequestId} is unknown ({Reason}); it stays pending")]
    private static partial void LogOutcomeUnknown(ILogger logger, string walletId, string kind, string requestId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId}: Bank call {RequestId} failed; treating the outcome as unknown")]
    private static partial void LogBankCallFailed(ILogger logger, Exception exception, string walletId, string requestId);
}
