using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// Keeps monthly partitions created ahead of time (payments, webhooks_in, merchant_events), deletes expired idempotency
/// records and old webhook rejections in small batches (a long DELETE would hold locks that the hot path needs), and
/// applies the merchant events' retention: a month of <c>merchant_events</c> is dropped whole once its newest event is
/// older than <see cref="MerchantEventsRetention"/> (so an event is kept at least 30 days and at most about two months;
/// reads never show one past 30 days), and webhook deliveries older than it are deleted in batches.
/// </summary>
public sealed partial class StorageMaintenance(NpgsqlDataSource dataSource, ILogger<StorageMaintenance> logger) : BackgroundService
{
    /// <summary>How long a merchant sees an event (<c>GET /v1/events</c>) and its webhook deliveries.</summary>
    public static readonly TimeSpan MerchantEventsRetention = TimeSpan.FromDays(30);

    private const int PartitionMonthsAhead = 3;
    private const int ExpiredRowsBatchMax = 5_000;
    private static readonly string[] PartitionedTables = ["payments", "webhooks_in", "merchant_events"];

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
                    "DELETE FROM webhooks_rejected WHERE id IN (SELECT id FROM webhooks_rejected WHERE rejected_at < now() - $2 LIMIT $1)"))
                {
                    rejections.Parameters.Add(new NpgsqlParameter { Value = ExpiredRowsBatchMax });
                    rejections.Parameters.Add(new NpgsqlParameter { Value = WebhookRejectionsRetention });
                    await rejections.ExecuteNonQueryAsync(stoppingToken);
                }

                var deleted = await ExecuteAsync(
                    "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1)", stoppingToken);
                if (deleted > 0)
                {
                    LogExpiredDeleted(logger, deleted);
                }

                await ApplyMerchantEventsRetentionAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogMaintenanceFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ApplyMerchantEventsRetentionAsync(CancellationToken cancellationToken)
    {
        await using (var drop = dataSource.CreateCommand("SELECT drop_monthly_partitions_before('merchant_events', now() - $1)"))
        {
            drop.Parameters.Add(new NpgsqlParameter { Value = MerchantEventsRetention });
            if (await drop.ExecuteScalarAsync(cancellationToken) is int dropped && dropped > 0)
            {
                LogEventMonthsDropped(logger, dropped);
            }
        }

        await using var deliveries = dataSource.CreateCommand(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE created_at < now() - $1 LIMIT $2)");
        deliveries.Parameters.Add(new NpgsqlParameter { Value = MerchantEventsRetention });
        deliveries.Parameters.Add(new NpgsqlParameter { Value = ExpiredRowsBatchMax });
        await deliveries.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ExpiredRowsBatchMax });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency records")]
    private static partial void LogExpiredDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} monthly partitions of merchant_events past their retention")]
    private static partial void LogEventMonthsDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage maintenance failed; it runs again in an hour")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}
