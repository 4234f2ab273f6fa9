using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Kafka;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// Makes the books complete, not only balanced: checks in outbox commit order that every published event that moves
/// money (<see cref="PostingRules.MoneyEvents"/>) has its posting, and re-publishes the ones that do not, so an event
/// that Kafka lost (a restarted in-memory broker, a broker that lost a partition) still reaches the ledger, whose
/// idempotency by event id makes a re-drive of a booked event harmless. Incremental: a durable watermark
/// (<c>ledger_completeness</c>) marks how far everything is booked, and each check reads a bounded number of events
/// past it. Right after the silo starts, and when the relay sees Kafka lose records, every unbooked event is
/// re-driven at once. Several silos may run it; the watermark only moves forward and a re-drive flips a row once.
/// Each round also anchors the ledger's hash chains (<see cref="LedgerStore.AnchorChainsAsync"/>), and every
/// <see cref="LedgerCompletenessOptions.VerifyInterval"/> it runs the whole verify for the alert.
/// </summary>
public sealed partial class LedgerCompletenessMonitor(
    NpgsqlDataSource dataSource,
    LedgerStore ledger,
    OutboxSignal relaySignal,
    BrokerLossSignal brokerLoss,
    LedgerCompletenessMetrics metrics,
    IOptions<LedgerCompletenessOptions> options,
    TimeProvider time,
    ILogger<LedgerCompletenessMonitor> logger) : BackgroundService
{
    private readonly LedgerCompletenessOptions _options = options.Value;
    private readonly OutboxSignal _wake = new();

    /// <summary>Scans per check when every event read was booked (a watermark far behind catches up in a few checks).</summary>
    private const int ScansPerCheckMax = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        brokerLoss.Raised += _wake.Pulse;
        var redriveAll = true;
        var nextVerify = time.GetUtcNow() + _options.VerifyInterval; // not at start: it reads the whole journal while the silo warms up
        var typesSynced = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!typesSynced)
                {
                    // The list changes only with a new build: once per start, until it succeeds.
                    await SyncMoneyEventTypesAsync(stoppingToken);
                    typesSynced = true;
                }

                redriveAll |= brokerLoss.Take();
                await CheckAsync(redriveAll, stoppingToken);
                redriveAll = false;
                await ledger.AnchorChainsAsync(stoppingToken);
                if (time.GetUtcNow() >= nextVerify)
                {
                    var report = await ledger.VerifyAsync(time.GetUtcNow(), _options.VerifySettle, stoppingToken);
                    metrics.Verified(report);
                    if (!(report.Balanced && report.Complete && report.ChainIntact))
                    {
                        LogVerifyFailed(logger, report.Balanced, report.Complete, report.ChainIntact, report.ProblemsTotal);
                    }

                    nextVerify = time.GetUtcNow() + _options.VerifyInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogCheckFailed(logger, exception);
            }

            try
            {
                await _wake.WaitAsync(_options.CheckInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One check: scans past the watermark until a gap or the end, re-drives what is due; public for tests.</summary>
    public async Task<CompletenessVerdict> CheckAsync(bool redriveAll, CancellationToken cancellationToken)
    {
        CompletenessVerdict verdict;
        var scans = 0;
        do
        {
            var watermark = await WatermarkAsync(cancellationToken);
            var rows = await ReadPastAsync(watermark, cancellationToken);
            verdict = LedgerCompletenessScan.Decide(watermark, rows, time.GetUtcNow(), _options.RedriveAfter, _options.RedrivesMax, redriveAll);
            if (verdict.Watermark > watermark)
            {
                await AdvanceAsync(verdict.Watermark, cancellationToken);
            }

            if (verdict.Redrive.Count > 0)
            {
                var redriven = await RedriveAsync(verdict.Redrive, cancellationToken);
                metrics.Redriven(redriven);
                LogRedriven(logger, redriven, verdict.Unbooked, redriveAll);
                relaySignal.Pulse();
            }

            if (verdict.Unbooked > 0 || rows.Count < _options.ScanEventsMax)
            {
                break;
            }
        }
        while (++scans < ScansPerCheckMax);

        metrics.Observe(verdict.Unbooked, verdict.OldestUnbooked.TotalSeconds, verdict.Exhausted);
        return verdict;
    }

    /// <summary>The table SQL checks read (verify, deploy/ledger-verify.sh) follows the posting rules this build runs.</summary>
    private async Task SyncMoneyEventTypesAsync(CancellationToken cancellationToken)
    {
        var systems = PostingRules.MoneyEvents.Select(m => m.SourceSystem).ToArray();
        var types = PostingRules.MoneyEvents.Select(m => m.EventType).ToArray();
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO ledger_money_event_types (source_system, event_type) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = systems });
        insert.Parameters.Add(new NpgsqlParameter { Value = types });
        var delete = new NpgsqlBatchCommand(
            "DELETE FROM ledger_money_event_types WHERE (source_system, event_type) NOT IN (SELECT * FROM unnest($1::text[], $2::text[]))");
        delete.Parameters.Add(new NpgsqlParameter { Value = systems });
        delete.Parameters.Add(new NpgsqlParameter { Value = types });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(delete);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> WatermarkAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT confirmed_through_seq FROM ledger_completeness");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<MoneyEventRow>> ReadPastAsync(long watermark, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT o.seq, o.id, o.status, o.created_at, o.published_at, o.redrives,
                   EXISTS (SELECT 1 FROM ledger_entries e WHERE e.source_system = m.source_system AND e.source_event_id = o.id)
              FROM outbox_events o
              JOIN ledger_money_event_types m
                ON m.event_type = o.event_type
               AND m.source_system = CASE o.agg_type WHEN 'payment' THEN 'payments' WHEN 'wallet' THEN 'wallets' END
             WHERE o.seq > $1
             ORDER BY o.seq
             LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = watermark });
        command.Parameters.Add(new NpgsqlParameter { Value = _options.ScanEventsMax });
        var rows = new List<MoneyEventRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MoneyEventRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    private async Task AdvanceAsync(long watermark, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE ledger_completeness SET confirmed_through_seq = greatest(confirmed_through_seq, $1), updated_at = now()");
        command.Parameters.Add(new NpgsqlParameter { Value = watermark });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Back to NEW for the relay; only rows still PUBLISHED, so two silos re-drive an event once.</summary>
    private async Task<int> RedriveAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE outbox_events
               SET status = 'NEW', redrives = redrives + 1, retry_count = 0,
                   last_error = 'published, but not booked by the ledger in time: re-driven'
             WHERE id = ANY($1) AND status = 'PUBLISHED'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-drove {Redriven} money events the ledger had not booked ({Unbooked} unbooked past the watermark; at once: {All})")]
    private static partial void LogRedriven(ILogger logger, int redriven, int unbooked, bool all);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger verify failed: balanced {Balanced}, complete {Complete}, chain intact {ChainIntact}; {Problems} problem(s); GET /v1/operator/ledger/verify lists them")]
    private static partial void LogVerifyFailed(ILogger logger, bool balanced, bool complete, bool chainIntact, long problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ledger completeness check failed; the next one starts from the same watermark")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
