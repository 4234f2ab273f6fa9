using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Grains.Options;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Finds payments whose pending PSP operation has not moved for a while (the silo that owned them
/// died between recording the intent and hearing the PSP), and authorisations past their expiry that
/// their reminder did not void, and wakes their grains, which then ask the PSP what happened or void.
/// Running on every silo is harmless: the grain serialises the work. It also counts the payments still
/// pending past <see cref="PaymentsOptions.PendingOverdueAfter"/> for the alert.
/// </summary>
public sealed partial class PendingPaymentSweeper(
    PaymentStore store,
    IGrainFactory grains,
    PendingPaymentMetrics metrics,
    IOptions<PaymentsOptions> options,
    ILogger<PendingPaymentSweeper> logger) : BackgroundService
{
    private const int BatchMax = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PendingSweepInterval;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var stalled = await store.FindStalledAsync(interval * 2, BatchMax, stoppingToken);
                var expired = await store.FindExpiredAuthorizationsAsync(interval * 4, BatchMax, stoppingToken);
                foreach (var id in stalled.Concat(expired))
                {
                    await grains.GetGrain<IPaymentGrain>(id).ResumeAsync();
                }

                if (stalled.Count + expired.Count > 0)
                {
                    LogResumed(logger, stalled.Count, expired.Count);
                    metrics.ExpiredSwept(expired.Count);
                }

                var (overdue, oldest) = await store.PendingOverdueAsync(options.Value.PendingOverdueAfter, stoppingToken);
                metrics.Observe(overdue, oldest);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick tries again; a sweep is only a safety net.
                LogSweepFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} payments with a stalled PSP operation and {Expired} expired authorisations")]
    private static partial void LogResumed(ILogger logger, int count, int expired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pending-payment sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
