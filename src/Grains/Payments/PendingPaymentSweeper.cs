using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Grains.Options;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Finds payments whose pending PSP operation has not moved for a while (the silo that owned them
/// died between recording the intent and hearing the PSP) and wakes their grains, which then ask
/// the PSP what happened. Running on every silo is harmless: the grain serialises the work.
/// </summary>
public sealed partial class PendingPaymentSweeper(
    PaymentStore store,
    IGrainFactory grains,
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
                foreach (var id in stalled)
                {
                    await grains.GetGrain<IPaymentGrain>(id).ResumeAsync();
                }

                if (stalled.Count > 0)
                {
                    LogResumed(logger, stalled.Count);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick tries again; a sweep is only a safety net.
                LogSweepFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} payments with a stalled PSP operation")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pending-payment sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
