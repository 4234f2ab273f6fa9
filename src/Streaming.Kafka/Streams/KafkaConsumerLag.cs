using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// <c>payments.kafka.consumer_lag_records{topic,group}</c> on the meter <c>Payments.Actors.Kafka</c>: records a
/// consumer group has not yet committed on the partitions this process reads (high watermark minus the
/// committed position), summed per topic. The receivers are not created through DI, hence one static meter.
/// </summary>
internal static class KafkaConsumerLag
{
    public const string MeterName = "Payments.Actors.Kafka";

    private static readonly ConcurrentDictionary<(string Group, string Topic, int Partition), long> Lags = new();
    private static readonly Meter Meter = new(MeterName);

    static KafkaConsumerLag() =>
        Meter.CreateObservableGauge("payments.kafka.consumer_lag_records", Observe, "{record}",
            "Records of the topic not yet committed by the consumer group, over the partitions this process reads.");

    public static void Set(string group, string topic, int partition, long lag) => Lags[(group, topic, partition)] = Math.Max(0, lag);

    public static void Remove(string group, string topic, int partition) => Lags.TryRemove((group, topic, partition), out _);

    private static IEnumerable<Measurement<long>> Observe() =>
        Lags.GroupBy(entry => (entry.Key.Group, entry.Key.Topic))
            .Select(topic => new Measurement<long>(topic.Sum(entry => entry.Value),
                new KeyValuePair<string, object?>("topic", topic.Key.Topic),
                new KeyValuePair<string, object?>("group", topic.Key.Group)));
}
