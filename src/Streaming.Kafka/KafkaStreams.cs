namespace Payments.Actors.Streaming.Kafka;

/// <summary>Names the silo's Kafka stream provider is registered under.</summary>
public static class KafkaStreams
{
    /// <summary>The silo's Kafka stream provider.</summary>
    public const string ProviderName = "kafka";
}
