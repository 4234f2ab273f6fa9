namespace Payments.Actors.Streaming.Kafka;

/// <summary>Names of the event contract (docs/events.md): the stream provider and the topics, which are the stream namespaces.</summary>
public static class KafkaStreams
{
    /// <summary>The silo's Kafka stream provider.</summary>
    public const string ProviderName = "kafka";

    public const string PaymentsEvents = "payments.events";
    public const string WalletsEvents = "wallets.events";
    public const string WebhooksIn = "webhooks.in";
    public const string ReconEvents = "recon.events";

    /// <summary>The dead-letter topic of a topic (<c>payments.events.dlq</c>).</summary>
    public static string DeadLetterTopic(string topic) => topic + ".dlq";
}
