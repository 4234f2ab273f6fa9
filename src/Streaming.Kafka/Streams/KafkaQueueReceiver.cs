using System.Globalization;
using System.Text;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// Reads one Kafka partition (one Orleans queue) for the pulling agent. Starts at the consumer group's committed
/// offset (earliest if none), hands out what the client has already fetched without waiting, and commits an offset
/// only once Orleans reported every earlier record delivered (<see cref="DeliveryWatermark"/>). A commit that failed,
/// or a position that moved while a commit was in flight, is committed from the agent's next poll: the group's offset
/// catches up with what was delivered even when no further record arrives.
/// </summary>
internal sealed partial class KafkaQueueReceiver(
    string providerName, TopicPartition partition, KafkaStreamOptions options, ILogger logger) : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Nothing = Array.Empty<IBatchContainer>();
    private static readonly TimeSpan CommitRetryDelay = TimeSpan.FromSeconds(1);
    private readonly DeliveryWatermark _watermark = new();
    private readonly string _partitionKey = partition.Partition.Value.ToString(CultureInfo.InvariantCulture);
    private readonly Lock _gate = new();
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Task _commit = Task.CompletedTask;
    private long _committed = -1;
    private long _commitRetryAt;
    private long? _startCommitted;
    private bool _pendingLimitLogged;

    public Task Initialize(TimeSpan timeout)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaClients.Consumer(options, $"{providerName}-{partition.Topic}-{partition.Partition.Value}"))
            .SetErrorHandler((_, error) => LogClientError(logger, partition.Topic, partition.Partition.Value, error.Code, error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        // Offset.Stored: the group's committed offset, else auto.offset.reset (earliest).
        _consumer.Assign(new TopicPartitionOffset(partition, Offset.Stored));
        try
        {
            // Only for the lag gauge; reading starts at Offset.Stored whatever this answers.
            var stored = _consumer.Committed([partition], timeout).Single().Offset;
            _startCommitted = stored.IsSpecial ? null : stored.Value;
        }
        catch (KafkaException exception)
        {
            LogClientError(logger, partition.Topic, partition.Partition.Value, exception.Error.Code, exception.Error.Reason);
        }

        LogAssigned(logger, providerName, partition.Topic, partition.Partition.Value, options.ConsumerGroupId);
        return Task.CompletedTask;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return Task.FromResult(Nothing);
        }

        lock (_gate)
        {
            CommitIfBehind();
            var room = options.PendingRecordsMax - _watermark.Pending;
            if (room <= 0)
            {
                // An undelivered record holds back the commit position; reading on would only grow memory.
                if (!_pendingLimitLogged)
                {
                    _pendingLimitLogged = true;
                    LogPendingLimit(logger, partition.Topic, partition.Partition.Value, options.PendingRecordsMax);
                }

                return Task.FromResult(Nothing);
            }

            _pendingLimitLogged = false;
            var limit = Math.Min(room, maxCount == QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG ? options.PollBatchSizeMax : Math.Min(maxCount, options.PollBatchSizeMax));
            var batch = new List<IBatchContainer>();
            while (batch.Count < limit && !cancellationToken.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    // Zero timeout: only what the client already prefetched; the agent polls again on its timer.
                    result = consumer.Consume(TimeSpan.Zero);
                }
                catch (ConsumeException exception)
                {
                    LogConsumeError(logger, partition.Topic, partition.Partition.Value, exception.Error.Code, exception.Error.Reason);
                    break;
                }

                if (result is null)
                {
                    break;
                }

                if (result.IsPartitionEOF)
                {
                    continue;
                }

                var record = ToRecord(result);
                if (record.Offset <= _watermark.LastHandedOut)
                {
                    // The broker lost the log it had given us (an in-memory broker restarted, an unclean leader
                    // election) and offsets began again. What it lost is re-published by its producers (the outbox's
                    // completeness check); this reader goes on from what the broker has now.
                    LogLogLost(logger, partition.Topic, partition.Partition.Value, record.Offset, _watermark.LastHandedOut);
                    _watermark.Restart();
                    Interlocked.Exchange(ref _committed, -1);
                }

                _watermark.HandedOut(record.Offset);
                batch.Add(new KafkaBatchContainer(StreamId.Create(record.Topic, StreamKeyOf(record)), record, _watermark.Generation));
            }

            ReportLag(consumer);
            return Task.FromResult<IList<IBatchContainer>>(batch);
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <summary>Orleans purged these from its cache: every consumer got them (records whose delivery failed are never reported).</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var message in messages)
            {
                if (message is KafkaBatchContainer container)
                {
                    _watermark.Delivered(container.Record.Offset, container.ReaderGeneration);
                }
            }

            CommitIfBehind();
        }

        return Task.CompletedTask;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return;
        }

        Task inFlight;
        long? position;
        lock (_gate)
        {
            inFlight = _commit;
            position = _watermark.CommitPosition;
        }

        try
        {
            await inFlight.WaitAsync(timeout);
            if (position is { } last && last > Interlocked.Read(ref _committed))
            {
                await Task.Run(() => Commit(last)).WaitAsync(timeout);
            }
        }
        catch (TimeoutException)
        {
            // Whatever was not committed is delivered again by the next reader: at least once.
            LogShutdownCommitTimedOut(logger, partition.Topic, partition.Partition.Value, timeout);
        }

        _consumer = null;
        KafkaConsumerLag.Remove(options.ConsumerGroupId, partition.Topic, partition.Partition.Value);
        consumer.Close();
        consumer.Dispose();
        LogReleased(logger, providerName, partition.Topic, partition.Partition.Value, Interlocked.Read(ref _committed));
    }

    /// <summary>High watermark (as of the client's last fetch, no round trip) minus the committed position.</summary>
    private void ReportLag(IConsumer<byte[]?, byte[]?> consumer)
    {
        var watermarks = consumer.GetWatermarkOffsets(partition);
        if (watermarks.High.IsSpecial)
        {
            return;
        }

        // Before this reader's first commit: the group's committed offset read at start, else the partition's start.
        var committed = Interlocked.Read(ref _committed);
        var from = committed >= 0 ? committed : _startCommitted ?? (watermarks.Low.IsSpecial ? 0 : watermarks.Low.Value);
        KafkaConsumerLag.Set(options.ConsumerGroupId, partition.Topic, partition.Partition.Value, watermarks.High.Value - from);
    }

    /// <summary>
    /// Starts a commit of the watermark's position if the group is behind it, one in flight at a time, off the agent's
    /// turn. After a failure, waits <see cref="CommitRetryDelay"/> so that a broker that is down is not hammered.
    /// Called under <see cref="_gate"/>.
    /// </summary>
    private void CommitIfBehind()
    {
        if (!_commit.IsCompleted
            || _watermark.CommitPosition is not { } position
            || position <= Interlocked.Read(ref _committed)
            || Environment.TickCount64 < Interlocked.Read(ref _commitRetryAt))
        {
            return;
        }

        _commit = Task.Run(() => Commit(position), CancellationToken.None);
    }

    private void Commit(long position)
    {
        var consumer = _consumer;
        if (consumer is null || position <= Interlocked.Read(ref _committed))
        {
            return;
        }

        try
        {
            consumer.Commit([new TopicPartitionOffset(partition, position)]);
            Interlocked.Exchange(ref _committed, position);
        }
        catch (KafkaException exception)
        {
            // Not lost: the agent's next poll after the delay commits it again; a restart before that redelivers.
            Interlocked.Exchange(ref _commitRetryAt, Environment.TickCount64 + (long)CommitRetryDelay.TotalMilliseconds);
            LogCommitFailed(logger, partition.Topic, partition.Partition.Value, position, exception.Error.Code);
        }
    }

    private string StreamKeyOf(KafkaRecord record) => options.StreamKey == KafkaStreamKey.Partition
        ? _partitionKey
        : record.Key ?? "";

    private static KafkaRecord ToRecord(ConsumeResult<byte[]?, byte[]?> result)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.Message.Headers is { } messageHeaders)
        {
            foreach (var header in messageHeaders)
            {
                var bytes = header.GetValueBytes();
                headers[header.Key] = bytes is null ? "" : Encoding.UTF8.GetString(bytes);
            }
        }

        return new KafkaRecord(
            result.Topic,
            result.Partition.Value,
            result.Offset.Value,
            result.Message.Key is null ? null : Encoding.UTF8.GetString(result.Message.Key),
            result.Message.Value ?? [],
            headers,
            new DateTimeOffset(result.Message.Timestamp.UtcDateTime, TimeSpan.Zero));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic} partition {Partition} gave offset {Offset} after {LastHandedOut}: the broker lost the partition's log; reading goes on from its new log")]
    private static partial void LogLogLost(ILogger logger, string topic, int partition, long offset, long lastHandedOut);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} reads {Topic}[{Partition}] from group {Group}'s committed offset.")]
    private static partial void LogAssigned(ILogger logger, string provider, string topic, int partition, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider} released {Topic}[{Partition}]; committed position {Committed}.")]
    private static partial void LogReleased(ILogger logger, string provider, string topic, int partition, long committed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka client for {Topic}[{Partition}]: {Code} {Reason}")]
    private static partial void LogClientError(ILogger logger, string topic, int partition, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Topic}[{Partition}] failed: {Code} {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string topic, int partition, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Topic}[{Partition}] at {Position} failed ({Code}); retrying in a second.")]
    private static partial void LogCommitFailed(ILogger logger, string topic, int partition, long position, ErrorCode code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: {PendingMax} records wait behind an undelivered one; reading pauses until it is delivered.")]
    private static partial void LogPendingLimit(ILogger logger, string topic, int partition, int pendingMax);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Topic}[{Partition}]: the final commit did not finish within {Timeout}; the next reader redelivers from the last committed offset.")]
    private static partial void LogShutdownCommitTimedOut(ILogger logger, string topic, int partition, TimeSpan timeout);
}
