using Orleans.Streams;
using Orleans.Streams.Core;
using Payments.Actors.Streaming.Kafka;

namespace Payments.Actors.StreamingTests;

public interface IRecordingConsumerGrain : IGrainWithStringKey
{
}

/// <summary>An implicit subscriber of every test topic ("st.*"), keyed like the platform's consumers: by the record key.</summary>
[RegexImplicitStreamSubscription("^st\\.")]
public sealed class RecordingConsumerGrain : Grain, IRecordingConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<KafkaRecord>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<KafkaRecord>().ResumeAsync(this);

    public Task OnNextAsync(KafkaRecord item, StreamSequenceToken? token = null)
    {
        ConsumerLog.Record(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
