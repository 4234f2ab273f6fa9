using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;
using Payments.Actors.Grains.Outbox;
using Payments.Actors.Ledger;
using Payments.Actors.Streaming.Kafka;

namespace Payments.Actors.Grains.Events;

/// <summary>The ledger's consumer of one aggregate's events; the key is the Kafka record key (a payment or wallet id).</summary>
public interface ILedgerFeedGrain : IGrainWithStringKey;

/// <summary>
/// Kafka into the ledger: every record of <c>payments.events</c> and <c>wallets.events</c> reaches the
/// activation of its key (the stream provider delivers in partition order, at least once) and is
/// offered to the ledger shard of that key. Completing <see cref="OnNextAsync"/> is what lets the
/// provider commit the offset, so it completes only once the ledger committed (Posted, Duplicate,
/// NoPosting) or the record is safely in the topic's DLQ (Rejected, or headers that cannot be read).
/// A database outage throws: the provider redelivers the same record until it goes through.
/// </summary>
[ImplicitStreamSubscription(KafkaStreams.PaymentsEvents)]
[ImplicitStreamSubscription(KafkaStreams.WalletsEvents)]
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class LedgerFeedGrain(DeadLetterQueue deadLetters, LedgerFeedMetrics metrics, ILogger<LedgerFeedGrain> logger)
    : Grain, ILedgerFeedGrain, IStreamSubscriptionObserver, IAsyncObserver<KafkaRecord>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) => handleFactory.Create<KafkaRecord>().ResumeAsync(this);

    public async Task OnNextAsync(KafkaRecord item, StreamSequenceToken? token = null)
    {
        var (ledgerEvent, problem) = Read(item);
        if (ledgerEvent is null)
        {
            await DeadLetterAsync(item, problem!);
            return;
        }

        var results = await GrainFactory.GetGrain<ILedgerGrain>(LedgerBooks.ShardOf(item.Key ?? "")).AppendAsync([ledgerEvent]);
        var result = results.Single();
        Invariant.Assert(result.EventId == ledgerEvent.EventId, "The ledger answered for another event.");
        metrics.Outcome(item.Topic, result.Outcome);
        if (result.Outcome == LedgerAppendOutcome.Rejected)
        {
            await DeadLetterAsync(item, $"Rejected by the ledger: {result.Reason}");
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
            KafkaStreams.PaymentsEvents => LedgerSourceSystems.Payments,
            KafkaStreams.WalletsEvents => LedgerSourceSystems.Wallets,
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
