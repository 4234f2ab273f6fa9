using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Providers;
using Orleans.Streams;
using Payments.Actors.Streaming.Kafka.Options;
using Payments.Actors.Streaming.Kafka.Streams;

namespace Payments.Actors.Streaming.Kafka.Hosting;

public static class KafkaSiloBuilderExtensions
{
    /// <summary>
    /// Adds an Orleans persistent stream provider over Kafka. Each partition of each configured topic is one queue;
    /// a record arrives as a <see cref="KafkaRecord"/> on stream <c>StreamId.Create(topic, key)</c> (or, with
    /// <see cref="KafkaStreamKey.Partition"/>, <c>StreamId.Create(topic, partition)</c> in batches), to implicit
    /// subscribers (<c>[ImplicitStreamSubscription(topic)]</c>), in partition order per key, at least once.
    /// A consumer that throws gets the same event again (backoff 1 s doubling to 30 s) until it succeeds; offsets are
    /// committed only past delivered records. Implicit subscriptions only: no pubsub grain or PubSubStore is involved,
    /// which also spares one rendezvous grain activation per stream (per payment).
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configureOptions,
        Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        return builder.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<KafkaStreamOptions>(options => options.Configure(configureOptions));
            stream.Configure<StreamPubSubOptions>(options => options.Configure(o => o.PubSubType = StreamPubSubType.ImplicitOnly));
            // Never give up on an event while the agent runs (the default gives up after one minute and skips it).
            // Per-partition streams: hand a consumer up to a poll's worth of consecutive records in one delivery.
            stream.ConfigurePullingAgent(options => options.Configure<IOptionsMonitor<KafkaStreamOptions>>((o, kafka) =>
            {
                o.MaxEventDeliveryTime = Timeout.InfiniteTimeSpan;
                var kafkaOptions = kafka.Get(name);
                o.BatchContainerBatchSize = kafkaOptions.StreamKey == KafkaStreamKey.Partition ? kafkaOptions.PollBatchSizeMax : 1;
            }));
            stream.ConfigureBackoffProvider((services, providerName) =>
                (IMessageDeliveryBackoffProvider)new KafkaDeliveryBackoff(services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(providerName)));
            configureStream?.Invoke(stream);
        });
    }
}
