using Microsoft.Extensions.Logging;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Grains.Wallets;

/// <summary>Releasing a merchant's holds when they expire: a timer while the wallet is active, the upkeep reminder otherwise.</summary>
public sealed partial class WalletGrain
{
    private async Task ExpireDueHoldsAsync(CancellationToken cancellationToken)
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        var before = Wallet;
        var now = Now();
        var decision = WalletDecider.ExpireDueHolds(before, now, ExpiriesPerCommitMax);
        if (decision.Next is { } next)
        {
            if (await WriteAsync(WalletWriteUnit.Of(before, next, decision.Changes, decision.Events, Timings.IdempotencyKeyTtl, now, merchantEvents, decision.Result)) == WriteOutcome.Conflict)
            {
                await LoadAsync();
            }
            else
            {
                _wallet = next;
                LogHoldsExpired(logger, WalletId, decision.Changes.Count);
            }
        }

        ScheduleExpiry();
        await StopReminderIfIdleAsync();
    }

    private void ScheduleExpiry()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        if (Wallet.NextExpiry is not { } next)
        {
            return;
        }

        var delay = next - Clock.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(ExpireDueHoldsAsync, new GrainTimerCreationOptions
        {
            DueTime = delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wallet {WalletId}: {Count} holds expired and were released")]
    private static partial void LogHoldsExpired(ILogger logger, string walletId, int count);
}
