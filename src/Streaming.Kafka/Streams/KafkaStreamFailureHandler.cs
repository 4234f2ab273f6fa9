using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// What happens when a consumer's OnNextAsync keeps failing. The provider sets MaxEventDeliveryTime to infinite, so
/// the pulling agent retries a failing event forever (with <see cref="KafkaDeliveryBackoff"/>) and later events of
/// that stream wait behind it; Orleans gives up on an event only when the agent stops (silo shutdown, queue moved to
/// another silo). Then this handler logs it; the event is not acknowledged, its offset is never committed, and the
/// next reader of the partition delivers it again. Subscriptions are never faulted: money is never skipped.
/// </summary>
internal sealed partial class KafkaStreamFailureHandler(ILogger logger) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogDeliveryFailure(logger, streamProviderName, streamIdentity, sequenceToken?.SequenceNumber, subscriptionId.Guid);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailure(logger, streamProviderName, streamIdentity, sequenceToken?.SequenceNumber, subscriptionId.Guid);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream provider {Provider}: delivery of stream {StreamId} at offset {Offset} to subscription {SubscriptionId} was abandoned by the pulling agent; its offset stays uncommitted and it will be redelivered.")]
    private static partial void LogDeliveryFailure(ILogger logger, string provider, StreamId streamId, long? offset, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream provider {Provider}: subscribing {SubscriptionId} to stream {StreamId} at offset {Offset} failed; the offset stays uncommitted.")]
    private static partial void LogSubscriptionFailure(ILogger logger, string provider, StreamId streamId, long? offset, Guid subscriptionId);
}
