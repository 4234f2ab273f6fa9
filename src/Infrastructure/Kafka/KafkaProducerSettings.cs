using Confluent.Kafka;
using Payments.Actors.Events;

namespace Payments.Actors.Infrastructure.Kafka;

/// <summary>The part of the <c>Kafka</c> section the producers need.</summary>
public sealed class KafkaProducerSettings
{
    public const string SectionName = "Kafka";

    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>Topic per outbox aggregate type.</summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.Ordinal)
    {
        [AggregateTypes.Payment] = EventTopics.PaymentsEvents,
        [AggregateTypes.Wallet] = EventTopics.WalletsEvents,
        [AggregateTypes.PspNotification] = EventTopics.WebhooksIn,
        [AggregateTypes.Reconciliation] = EventTopics.ReconEvents,
    };

    /// <summary>Our producers' settings: idempotent, <c>acks=all</c>, and Java clients' partitioner so a key
    /// lands on the same partition whoever produces it.</summary>
    public ProducerConfig ProducerConfig(string clientId) => new()
    {
        BootstrapServers = BootstrapServers,
        ClientId = $"{clientId}-{Environment.MachineName}",
        EnableIdempotence = true,
        Acks = Acks.All,
        Partitioner = Partitioner.Murmur2Random,
    };
}
