using Orleans.Streams;
using Orleans.Streams.Core;
using Payments.Actors.Streaming.Kafka;

namespace Payments.Actors.StreamingTests;

public interface IBatchConsumerGrain : IGrainWithStringKey
{
}

/// <summary>A batch subscriber of the "stb.*" test topics, shaped like the ledger feed: one activation per partition stream.</summary>
[RegexImplicitStreamSubscription("^stb\\.")]
public sealed class BatchConsumerGrain : Grain, IBatchConsumerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<KafkaRecord>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<KafkaRecord>().ResumeAsync((IAsyncBatchObserver<KafkaRecord>)this);

    public Task OnNextAsync(IList<SequentialItem<KafkaRecord>> items)
    {
        ConsumerLog.RecordBatch(this.GetPrimaryKeyString(), [.. items.Select(i => i.Item)]);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
