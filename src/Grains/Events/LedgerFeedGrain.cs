using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Kafka;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Ledger;
using Payments.Actors.Streaming.Kafka;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Grains.Events;

/// <summary>The ledger's consumer of one partition of <c>payments.events</c> and <c>wallets.events</c>; the key is the partition number.</summary>
[Alias("pa.ILedgerFeedGrain")]
public interface ILedgerFeedGrain : IGrainWithStringKey;

/// <summary>
/// Kafka into the ledger. The provider keys these streams by partition (<see cref="KafkaStreamKey.Partition"/>), so
/// one activation per partition receives that partition's records in order, up to a poll's worth per delivery, and
/// offers them to the ledger in one call per shard (the shard of each record's key). Completing
/// <see cref="OnNextAsync(IList{SequentialItem{KafkaRecord}})"/> is what lets the provider commit the offsets, so it
/// completes only once the ledger committed every record of the delivery (Posted, Duplicate, NoPosting) or the record
/// is safely in the topic's DLQ (Rejected, or headers that cannot be read). A database outage throws: the provider
/// redelivers the whole batch, which the ledger's idempotency makes harmless. Dead letters are sent last, after the
/// ledger answered, so a batch retried because of the ledger sends none twice.
/// </summary>
[ImplicitStreamSubscription(EventTopics.PaymentsEvents)]
[ImplicitStreamSubscription(EventTopics.WalletsEvents)]
public sealed partial class LedgerFeedGrain(DeadLetterQueue deadLetters, LedgerFeedMetrics metrics, ILogger<LedgerFeedGrain> logger)
    : Grain, ILedgerFeedGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<KafkaRecord>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<KafkaRecord>().ResumeAsync((IAsyncBatchObserver<KafkaRecord>)this);

    public async Task OnNextAsync(IList<SequentialItem<KafkaRecord>> items)
    {
        var deadLetters = new List<(KafkaRecord Record, string Problem)>();
        var byShard = new Dictionary<long, List<(KafkaRecord Record, LedgerEvent Event)>>();
        foreach (var item in items)
        {
            var record = item.Item;
            var (ledgerEvent, problem) = Read(record);
            if (ledgerEvent is null)
            {
                deadLetters.Add((record, problem!));
                continue;
            }

            var shard = LedgerBooks.ShardOf(record.Key ?? "");
            if (!byShard.TryGetValue(shard, out var events))
            {
                byShard[shard] = events = [];
            }

            events.Add((record, ledgerEvent));
        }

        // The shards commit concurrently; within a shard, in partition order.
        var appends = byShard.Select(async pair =>
        {
            var answered = new List<((KafkaRecord Record, LedgerEvent Event), LedgerAppendResult)>(pair.Value.Count);
            foreach (var chunk in pair.Value.Chunk(LedgerBooks.AppendEventsMax))
            {
                var results = await GrainFactory.GetGrain<ILedgerGrain>(pair.Key).AppendAsync([.. chunk.Select(e => e.Event)]);
                Invariant.Assert(results.Count == chunk.Length, "The ledger answered for another number of events.");
                answered.AddRange(chunk.Zip(results));
            }

            return answered;
        });
        foreach (var ((record, ledgerEvent), result) in (await Task.WhenAll(appends)).SelectMany(answered => answered))
        {
            Invariant.Assert(result.EventId == ledgerEvent.EventId, "The ledger answered for another event.");
            metrics.Outcome(record.Topic, result.Outcome);
            if (result.Outcome == LedgerAppendOutcome.Rejected)
            {
                deadLetters.Add((record, $"Rejected by the ledger: {result.Reason}"));
            }
        }

        foreach (var (record, problem) in deadLetters.OrderBy(d => d.Record.Topic, StringComparer.Ordinal).ThenBy(d => d.Record.Offset))
        {
            await DeadLetterAsync(record, problem);
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>The ledger event a record carries, or why it cannot be one (a poison record).</summary>
    internal static (LedgerEvent? Event, string? Problem) Read(KafkaRecord record)
    {
        var sourceSystem = record.Topic switch
        {
            EventTopics.PaymentsEvents => LedgerSourceSystems.Payments,
            EventTopics.WalletsEvents => LedgerSourceSystems.Wallets,
            _ => null,
        };
        if (sourceSystem is null)
        {
            return (null, $"The ledger does not consume topic '{record.Topic}'.");
        }

        if (!Guid.TryParse(record.Header(EventHeaders.EventId), out var eventId) || eventId == Guid.Empty)
        {
            return (null, "The record has no valid event_id header.");
        }

        if (record.Header(EventHeaders.EventType) is not { Length: > 0 } eventType)
        {
            return (null, "The record has no event_type header.");
        }

        string payload;
        try
        {
            payload = StrictUtf8.GetString(record.Value);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The record's value is not UTF-8 text.");
        }

        return (new LedgerEvent(sourceSystem, eventId, eventType, payload), null);
    }

    private async Task DeadLetterAsync(KafkaRecord record, string problem)
    {
        metrics.DeadLettered(record.Topic);
        await deadLetters.SendAsync(record.Topic, record.Partition, record.Offset, record.Key, record.Value, record.Headers, problem);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger feed stream of {Key} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string key);
}

/// <summary>Ledger feed outcomes on the meter <c>Payments.Actors.Kafka</c>.</summary>
public sealed class LedgerFeedMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _records = meterFactory.Create("Payments.Actors.Kafka")
        .CreateCounter<long>("payments.ledger.feed.records", "{record}", "Records the ledger feed consumed, by outcome.");

    public void Outcome(string topic, LedgerAppendOutcome outcome) =>
        _records.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void DeadLettered(string topic) =>
        _records.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("outcome", "DeadLettered"));
}
