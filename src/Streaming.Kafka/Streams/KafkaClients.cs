using Confluent.Kafka;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>The Confluent.Kafka configurations the provider uses, in one place.</summary>
internal static class KafkaClients
{
    /// <summary>
    /// A reader of exactly one partition: offsets are committed by us (never automatically), to the consumer group,
    /// which is used for offset storage only: partitions are assigned by Orleans' queue balancer, not by a group join.
    /// </summary>
    public static ConsumerConfig Consumer(KafkaStreamOptions options, string clientId)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.ClientProperties))
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroupId,
            ClientId = clientId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = false,
            // One consumer per partition: keep each one's prefetch modest.
            QueuedMaxMessagesKbytes = 8 * 1024,
        };
        return config;
    }

    public static ProducerConfig Producer(KafkaStreamOptions options, string clientId) =>
        new(new Dictionary<string, string>(options.ClientProperties))
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
        };

    public static AdminClientConfig Admin(KafkaStreamOptions options, string clientId) =>
        new(new Dictionary<string, string>(options.ClientProperties))
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
        };
}
