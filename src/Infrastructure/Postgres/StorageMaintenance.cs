using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// Keeps monthly partitions created ahead of time (payments, webhooks_in) and deletes expired idempotency records and
/// old webhook rejections in small batches (a long DELETE would hold locks that the hot path needs).
/// </summary>
public sealed partial class StorageMaintenance(NpgsqlDataSource dataSource, ILogger<StorageMaintenance> logger) : BackgroundService
{
    private const int PartitionMonthsAhead = 3;
    private const int ExpiredKeysBatchMax = 5_000;
    private static readonly string[] PartitionedTables = ["payments", "webhooks_in"];

    /// <summary>How long a refused webhook delivery stays in <c>webhooks_rejected</c> for audit.</summary>
    public static readonly TimeSpan WebhookRejectionsRetention = TimeSpan.FromDays(90);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                foreach (var table in PartitionedTables)
                {
                    await using var partitions = dataSource.CreateCommand("SELECT ensure_monthly_partitions($1, $2)");
                    partitions.Parameters.Add(new NpgsqlParameter { Value = table });
                    partitions.Parameters.Add(new NpgsqlParameter { Value = PartitionMonthsAhead });
                    await partitions.ExecuteNonQueryAsync(stoppingToken);
                }

                await using (var rejections = dataSource.CreateCommand(
                    "DELETE FROM webhooks_rejected WHERE id IN (SELECT id FROM webhooks_rejected WHERE rejected_at < now() - $1 LIMIT $2)"))
                {
                    rejections.Parameters.Add(new NpgsqlParameter { Value = WebhookRejectionsRetention });
                    rejections.Parameters.Add(new NpgsqlParameter { Value = ExpiredKeysBatchMax });
                    await rejections.ExecuteNonQueryAsync(stoppingToken);
                }

                await using var expired = dataSource.CreateCommand(
                    "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1)");
                expired.Parameters.Add(new NpgsqlParameter { Value = ExpiredKeysBatchMax });
                var deleted = await expired.ExecuteNonQueryAsync(stoppingToken);
                if (deleted > 0)
                {
                    LogExpiredDeleted(logger, deleted);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogMaintenanceFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency records")]
    private static partial void LogExpiredDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage maintenance failed; it runs again in an hour")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}
