using Payments.Actors.Events;

namespace Payments.Actors.KafkaEmbedded.Options;

/// <summary>Configuration section <c>Kafka</c> of the embedded Kafka host.</summary>
public sealed class EmbeddedKafkaOptions
{
    public const string SectionName = "Kafka";
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 9092;
    public const int DefaultBrokerCount = 1;
    public const int DefaultPartitions = 4;
    public const int BrokerCountMax = 9;
    public const int PartitionsMax = 256;

    /// <summary>The address the brokers listen on and advertise. Loopback by default: the mock has no authentication.</summary>
    public string Host { get; set; } = DefaultHost;

    /// <summary>Broker 1's fixed port, the bootstrap address; 0 picks a free one. Brokers 2..N always get free ports.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// 1 by default: then "broker 1 down" is a whole-Kafka outage, which is what the platform's tests need. With more,
    /// partition p of every topic is led by broker (p mod N) + 1, so a test knows which partitions a downed broker stops
    /// (the mock never moves leaders).
    /// </summary>
    public int BrokerCount { get; set; } = DefaultBrokerCount;

    /// <summary>Partitions of every topic created at start.</summary>
    public int Partitions { get; set; } = DefaultPartitions;

    /// <summary>
    /// Topics created at start: the event contract's topics and their dead-letter topics (docs/events.md), and any configured.
    /// Unknown topics are auto-created on first use.
    /// </summary>
    public List<string> Topics { get; set; } = [.. EventTopics.All.SelectMany(t => new[] { t, EventTopics.DeadLetterTopic(t) })];

    /// <summary>If set, the bootstrap string is written to this file once the brokers listen.</summary>
    public string? BootstrapFile { get; set; }
}
