using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Kafka;

namespace Payments.Actors.Infrastructure.Outbox;

/// <summary>
/// Drains <c>outbox_events</c> into Kafka. Each round claims a batch of NEW rows
/// with <c>FOR UPDATE SKIP LOCKED</c> (so relays on several silos share the work without waiting on
/// each other), produces them with an idempotent producer (<c>acks=all</c>), and in the same
/// transaction marks what Kafka acknowledged PUBLISHED and counts a failed attempt on the rest;
/// a row that keeps failing is PARKED for an operator. A relay that dies between produce and commit
/// leaves its rows NEW: they are produced again and the consumers drop the duplicate by event id.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    OutboxSignal signal,
    OutboxMetrics metrics,
    IOptions<OutboxOptions> options,
    IOptions<KafkaProducerSettings> kafka,
    BrokerLossSignal brokerLoss,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    /// <summary>The highest offset Kafka acknowledged per partition in this process: one lower than that means Kafka lost records.</summary>
    private readonly Dictionary<TopicPartition, long> _acknowledged = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RelayEnabled)
        {
            LogDisabled(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            using var producer = CreateProducer();
            try
            {
                await RelayLoopAsync(producer, stoppingToken);
            }
            catch (ProducerFatalException)
            {
                LogProducerReplaced(logger);
                continue;
            }

            producer.Flush(TimeSpan.FromSeconds(5));
        }
    }

    private async Task RelayLoopAsync(IProducer<string, byte[]> producer, CancellationToken stoppingToken)
    {
        var nextGauge = DateTimeOffset.MinValue;
        var nextPurge = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await RelayOnceAsync(producer, stoppingToken);
                if (round.ProducerFatal)
                {
                    // An idempotent producer that hit a fatal error (e.g. an out-of-sequence epoch)
                    // refuses everything from then on: the caller starts a new one.
                    throw new ProducerFatalException();
                }

                if (round.Failed > 0)
                {
                    await Task.Delay(_options.FailureBackoff, time, stoppingToken);
                }

                var now = time.GetUtcNow();
                if (now >= nextGauge)
                {
                    await RefreshGaugesAsync(stoppingToken);
                    nextGauge = now + _options.GaugeInterval;
                }

                if (now >= nextPurge)
                {
                    await PurgePublishedAsync(stoppingToken);
                    nextPurge = now + TimeSpan.FromMinutes(10);
                }

                if (round.Claimed < _options.BatchMax)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (ProducerFatalException)
            {
                throw;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // PostgreSQL unavailable or the transaction broke: the rows stay NEW and are claimed again.
                LogRoundFailed(logger, exception);
                await Task.Delay(_options.FailureBackoff, time, stoppingToken);
            }
        }
    }

    /// <summary>One claim-produce-mark round; public for tests that drive the relay by hand.</summary>
    public async Task<RelayRound> RelayOnceAsync(IProducer<string, byte[]> producer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await ClaimAsync(connection, transaction, cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RelayRound(0, 0, 0, ProducerFatal: false);
        }

        var deliveries = new Task<DeliveryResult<string, byte[]>>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            deliveries[i] = Produce(producer, rows[i], cancellationToken);
        }

        var published = new List<Guid>(rows.Count);
        var failed = new List<(Guid Id, string Error)>();
        var fatal = false;
        for (var i = 0; i < rows.Count; i++)
        {
            try
            {
                var delivered = await deliveries[i];
                published.Add(rows[i].Id);
                NoteOffset(delivered.TopicPartition, delivered.Offset.Value);
            }
            catch (Exception exception) when (exception is KafkaException or UnknownTopicException)
            {
                failed.Add((rows[i].Id, exception.Message));
                fatal |= exception is KafkaException { Error.IsFatal: true };
            }
        }

        await MarkAsync(connection, transaction, published, failed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Published(published.Count);
        if (failed.Count > 0)
        {
            metrics.Failed(failed.Count);
            LogPublishFailed(logger, failed.Count, rows.Count, failed[0].Error);
        }

        return new RelayRound(rows.Count, published.Count, failed.Count, fatal);
    }

    private void NoteOffset(TopicPartition partition, long offset)
    {
        if (_acknowledged.TryGetValue(partition, out var highest) && offset <= highest)
        {
            LogBrokerLoss(logger, partition.Topic, partition.Partition.Value, offset, highest);
            metrics.BrokerLoss();
            brokerLoss.Raise();
        }

        _acknowledged[partition] = offset;
    }

    public IProducer<string, byte[]> CreateProducer() =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig(kafka.Value.ProducerConfig("outbox-relay"))
        {
            LingerMs = 2,
            MessageTimeoutMs = (int)_options.ProduceTimeout.TotalMilliseconds,
        })
        .SetLogHandler((_, message) => LogKafka(logger, message.Level.ToString(), message.Facility, message.Message))
        .Build();

    private Task<DeliveryResult<string, byte[]>> Produce(IProducer<string, byte[]> producer, OutboxRow row, CancellationToken cancellationToken)
    {
        if (!kafka.Value.Topics.TryGetValue(row.AggType, out var topic))
        {
            return Task.FromException<DeliveryResult<string, byte[]>>(new UnknownTopicException(row.AggType));
        }

        var message = new Message<string, byte[]>
        {
            Key = row.AggId.ToString("D"),
            Value = Encoding.UTF8.GetBytes(row.Payload),
            Headers =
            [
                new Header(EventHeaders.EventId, Encoding.UTF8.GetBytes(row.Id.ToString("D"))),
                new Header(EventHeaders.EventType, Encoding.UTF8.GetBytes(row.EventType)),
                new Header(EventHeaders.AggType, Encoding.UTF8.GetBytes(row.AggType)),
            ],
        };
        return producer.ProduceAsync(topic, message, cancellationToken);
    }

    private async Task<List<OutboxRow>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT id, agg_type, agg_id, event_type, payload::text FROM outbox_events
            WHERE status = 'NEW' ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = _options.BatchMax });
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }

    private async Task MarkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Guid> published,
        List<(Guid Id, string Error)> failed, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (published.Count > 0)
        {
            var command = new NpgsqlBatchCommand("UPDATE outbox_events SET status = 'PUBLISHED', published_at = now() WHERE id = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = published.ToArray() });
            batch.BatchCommands.Add(command);
        }

        if (failed.Count > 0)
        {
            var command = new NpgsqlBatchCommand(
                """
                UPDATE outbox_events o
                SET retry_count = o.retry_count + 1,
                    last_error = f.error,
                    status = CASE WHEN o.retry_count + 1 >= $3 THEN 'PARKED' ELSE 'NEW' END
                FROM unnest($1::uuid[], $2::text[]) AS f(id, error)
                WHERE o.id = f.id
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = failed.Select(f => f.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = failed.Select(f => Truncate(f.Error)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _options.AttemptsMax });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each part reads only a partial index (NEW or PARKED rows), never the days of published history.</summary>
    private async Task RefreshGaugesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM outbox_events WHERE status = 'NEW'),
                   coalesce(extract(epoch FROM now() - (SELECT created_at FROM outbox_events WHERE status = 'NEW' ORDER BY seq LIMIT 1)), 0),
                   (SELECT count(*) FROM outbox_events WHERE status = 'PARKED')
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            metrics.Observe(reader.GetInt64(0), Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(2));
        }
    }

    /// <summary>A money event stays until the ledger booked it (<see cref="Ledger.LedgerCompletenessMonitor"/>): it is the copy that can be re-driven.</summary>
    private async Task PurgePublishedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM outbox_events WHERE ctid IN (
                SELECT ctid FROM outbox_events
                WHERE status = 'PUBLISHED' AND published_at < now() - $1
                  AND (seq <= (SELECT confirmed_through_seq FROM ledger_completeness)
                       OR event_type NOT IN (SELECT event_type FROM ledger_money_event_types))
                LIMIT 10000)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _options.RetainPublished });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Truncate(string error) => error.Length <= 500 ? error : error[..500];

    private sealed record OutboxRow(Guid Id, string AggType, Guid AggId, string EventType, string Payload);

    private sealed class ProducerFatalException : Exception;

    private sealed class UnknownTopicException(string aggType)
        : Exception($"No Kafka topic is configured for aggregate type '{aggType}' (Kafka:Topics).");

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox relay is disabled on this silo (Outbox:RelayEnabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An outbox relay round failed; its rows stay NEW and are claimed again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Claimed} outbox events were not acknowledged by Kafka (first error: {Error}); they will be retried")]
    private static partial void LogPublishFailed(ILogger logger, int failed, int claimed, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox relay's Kafka producer hit a fatal error; a new producer replaces it")]
    private static partial void LogProducerReplaced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka lost acknowledged records: {Topic} partition {Partition} acknowledged offset {Offset} after {Highest}; unbooked money events will be re-driven")]
    private static partial void LogBrokerLoss(ILogger logger, string topic, int partition, long offset, long highest);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Level} {Facility}: {Message}")]
    private static partial void LogKafka(ILogger logger, string level, string facility, string message);
}

/// <summary>What one relay round did.</summary>
public readonly record struct RelayRound(int Claimed, int Published, int Failed, bool ProducerFatal);
