using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Outbox;

namespace Payments.Actors.Infrastructure.Kafka;

/// <summary>
/// The dead-letter topics: every topic <c>T</c> we consume has <c>T.dlq</c>. A record a consumer cannot
/// process (poison: it will never succeed as it is) goes there with its error and its origin, so the
/// partition behind it keeps moving. After a fix, an operator replays the topic's dead letters: they
/// are produced back to <c>T</c> and the consumer group <c>dead-letter-replay</c> remembers how far
/// replay got. Consumers de-duplicate by event id, so a replayed event that had in fact been applied
/// changes nothing.
/// </summary>
public sealed partial class DeadLetterQueue : IDisposable
{
    public const string ReplayGroup = "dead-letter-replay";

    private static class Headers
    {
        public const string Error = "dlq_error";
        public const string SourceTopic = "dlq_source_topic";
        public const string SourcePartition = "dlq_source_partition";
        public const string SourceOffset = "dlq_source_offset";
        public const string FailedAt = "dlq_failed_at";
    }

    private readonly KafkaProducerSettings _kafka;
    private readonly TimeProvider _time;
    private readonly ILogger<DeadLetterQueue> _logger;
    private readonly Lazy<IProducer<string?, byte[]>> _producer;
    private readonly Counter<long> _deadLetters;

    public DeadLetterQueue(IOptions<KafkaProducerSettings> kafka, IMeterFactory meterFactory, TimeProvider time, ILogger<DeadLetterQueue> logger)
    {
        _kafka = kafka.Value;
        _time = time;
        _logger = logger;
        _producer = new Lazy<IProducer<string?, byte[]>>(() => new ProducerBuilder<string?, byte[]>(_kafka.ProducerConfig("dead-letters")).Build());
        _deadLetters = meterFactory.Create("Payments.Actors.Kafka")
            .CreateCounter<long>("payments.kafka.dlq_records", "{record}", "Records sent to a dead-letter topic.");
    }

    /// <summary>Topics whose dead letters this platform owns (the outbox topics).</summary>
    public bool IsOurs(string topic) => _kafka.Topics.Values.Contains(topic, StringComparer.Ordinal);

    /// <summary>Sends a record that cannot be processed to its topic's DLQ; completes once Kafka acknowledged it.</summary>
    public async Task SendAsync(string topic, int partition, long offset, string? key, byte[] value,
        IReadOnlyDictionary<string, string> headers, string error, CancellationToken cancellationToken = default)
    {
        var message = new Message<string?, byte[]> { Key = key, Value = value, Headers = [] };
        foreach (var (name, headerValue) in headers)
        {
            if (!name.StartsWith("dlq_", StringComparison.Ordinal))
            {
                message.Headers.Add(name, Encoding.UTF8.GetBytes(headerValue));
            }
        }

        message.Headers.Add(Headers.Error, Encoding.UTF8.GetBytes(error.Length <= 1000 ? error : error[..1000]));
        message.Headers.Add(Headers.SourceTopic, Encoding.UTF8.GetBytes(topic));
        message.Headers.Add(Headers.SourcePartition, Encoding.UTF8.GetBytes(partition.ToString(CultureInfo.InvariantCulture)));
        message.Headers.Add(Headers.SourceOffset, Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
        message.Headers.Add(Headers.FailedAt, Encoding.UTF8.GetBytes(_time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        await _producer.Value.ProduceAsync(EventTopics.DeadLetterTopic(topic), message, cancellationToken);
        _deadLetters.Add(1, new KeyValuePair<string, object?>("topic", topic));
        LogDeadLettered(_logger, topic, partition, offset, error);
    }

    /// <summary>The dead letters of <paramref name="topic"/> after the replay group's committed offsets, oldest first per partition.</summary>
    public Task<IReadOnlyList<DeadLetter>> ListAsync(string topic, int limit, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<DeadLetter>>(() => Read(topic, limit, replay: false, cancellationToken), cancellationToken);

    /// <summary>Produces every dead letter not yet replayed back to its source topic, then commits the replay group's offsets.</summary>
    public async Task<int> ReplayAsync(string topic, CancellationToken cancellationToken)
    {
        var letters = await Task.Run(() => Read(topic, int.MaxValue, replay: true, cancellationToken), cancellationToken);
        return letters.Count;
    }

    private List<DeadLetter> Read(string topic, int limit, bool replay, CancellationToken cancellationToken)
    {
        var dlq = EventTopics.DeadLetterTopic(topic);
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = ReplayGroup,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(dlq, TimeSpan.FromSeconds(10));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartition(dlq, p.PartitionId)).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));

        var letters = new List<DeadLetter>();
        var replayed = new List<TopicPartitionOffset>();
        foreach (var position in committed)
        {
            var watermarks = consumer.QueryWatermarkOffsets(position.TopicPartition, TimeSpan.FromSeconds(10));
            var start = position.Offset.IsSpecial ? watermarks.Low : position.Offset;
            if (start >= watermarks.High)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(position.TopicPartition, start));
            long next = start;
            while (next < watermarks.High && letters.Count < limit)
            {
                var result = consumer.Consume(TimeSpan.FromSeconds(10))
                    ?? throw new TimeoutException($"Reading {position.TopicPartition} stopped at offset {next} before its high watermark {watermarks.High.Value}.");
                cancellationToken.ThrowIfCancellationRequested();
                next = result.Offset.Value + 1;
                var letter = ToDeadLetter(result);
                if (replay)
                {
                    Republish(result, letter.SourceTopic, cancellationToken);
                }

                letters.Add(letter);
            }

            replayed.Add(new TopicPartitionOffset(position.TopicPartition, next));
            if (letters.Count >= limit)
            {
                break;
            }
        }

        if (replay)
        {
            _producer.Value.Flush(cancellationToken);
            if (replayed.Count > 0)
            {
                consumer.Commit(replayed);
            }

            LogReplayed(_logger, letters.Count, topic);
        }

        return letters;
    }

    private void Republish(ConsumeResult<string?, byte[]> result, string sourceTopic, CancellationToken cancellationToken)
    {
        var message = new Message<string?, byte[]> { Key = result.Message.Key, Value = result.Message.Value, Headers = [] };
        foreach (var header in result.Message.Headers ?? [])
        {
            if (!header.Key.StartsWith("dlq_", StringComparison.Ordinal))
            {
                message.Headers.Add(header.Key, header.GetValueBytes());
            }
        }

        // Synchronous on purpose: the replay group's offsets are committed only after every record is back.
        _producer.Value.ProduceAsync(sourceTopic, message, cancellationToken).GetAwaiter().GetResult();
    }

    private static DeadLetter ToDeadLetter(ConsumeResult<string?, byte[]> result)
    {
        string? Header(string name) =>
            result.Message.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

        return new DeadLetter(
            result.Topic,
            result.Partition.Value,
            result.Offset.Value,
            result.Message.Key,
            Header(EventHeaders.EventId),
            Header(EventHeaders.EventType),
            Header(Headers.Error) ?? "",
            Header(Headers.SourceTopic) ?? EventTopics.SourceOfDeadLetterTopic(result.Topic),
            int.TryParse(Header(Headers.SourcePartition), CultureInfo.InvariantCulture, out var partition) ? partition : -1,
            long.TryParse(Header(Headers.SourceOffset), CultureInfo.InvariantCulture, out var offset) ? offset : -1,
            DateTimeOffset.TryParse(Header(Headers.FailedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : result.Message.Timestamp.UtcDateTime);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-lettered {Topic}/{Partition}@{Offset}: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replayed {Count} dead letters of {Topic}")]
    private static partial void LogReplayed(ILogger logger, int count, string topic);
}
