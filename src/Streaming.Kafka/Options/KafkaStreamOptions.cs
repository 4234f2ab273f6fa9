namespace Payments.Actors.Streaming.Kafka.Options;

/// <summary>Options of the Kafka persistent stream provider (<see cref="Hosting.KafkaSiloBuilderExtensions.AddKafkaStreams"/>).</summary>
public sealed class KafkaStreamOptions
{
    public const string DefaultConsumerGroupId = "payments-silo";
    public const int DefaultPollBatchSizeMax = 256;
    public const int DefaultCacheSize = 1024;
    public const int DefaultPendingRecordsMax = 100_000;
    public static readonly TimeSpan DefaultMetadataTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultDeliveryBackoffMin = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultDeliveryBackoffMax = TimeSpan.FromSeconds(30);

    /// <summary>Kafka's <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>The consumer group whose committed offsets record what the silos have delivered.</summary>
    public string ConsumerGroupId { get; set; } = DefaultConsumerGroupId;

    /// <summary>Topics read into streams; each partition of each topic is one Orleans queue.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>Partitions per topic; 0 (the default) reads each topic's partition count from Kafka's metadata at start.</summary>
    public int PartitionCount { get; set; }

    /// <summary>Which stream a record goes to: its key's (the default) or its partition's.</summary>
    public KafkaStreamKey StreamKey { get; set; } = KafkaStreamKey.RecordKey;

    /// <summary>Most records one read of a partition hands to Orleans (with <see cref="KafkaStreamKey.Partition"/>, also the most one delivery carries).</summary>
    public int PollBatchSizeMax { get; set; } = DefaultPollBatchSizeMax;

    /// <summary>Records per partition held in the Orleans queue cache (SimpleQueueCache); reading pauses when it fills.</summary>
    public int CacheSize { get; set; } = DefaultCacheSize;

    /// <summary>
    /// Records read but not yet committable (an undelivered record holds back every later offset); past this a
    /// partition stops reading until the undelivered one is delivered. Bounds memory; never skips a record.
    /// </summary>
    public int PendingRecordsMax { get; set; } = DefaultPendingRecordsMax;

    /// <summary>Bound on the start-up metadata request (partition discovery).</summary>
    public TimeSpan MetadataTimeout { get; set; } = DefaultMetadataTimeout;

    /// <summary>First pause before redelivering an event whose consumer threw; doubles up to <see cref="DeliveryBackoffMax"/>.</summary>
    public TimeSpan DeliveryBackoffMin { get; set; } = DefaultDeliveryBackoffMin;

    public TimeSpan DeliveryBackoffMax { get; set; } = DefaultDeliveryBackoffMax;

    /// <summary>Extra librdkafka properties for every client (e.g. <c>security.protocol</c>, <c>sasl.mechanism</c> in production).</summary>
    public Dictionary<string, string> ClientProperties { get; set; } = [];
}

/// <summary>How the provider maps a Kafka record to an Orleans stream (the stream namespace is always the topic).</summary>
public enum KafkaStreamKey
{
    /// <summary>
    /// <c>StreamId.Create(topic, key)</c>: one stream, and so one implicit subscriber activation, per record key
    /// (per payment). Each delivery carries one record. For consumers that keep per-entity state.
    /// </summary>
    RecordKey,

    /// <summary>
    /// <c>StreamId.Create(topic, partition)</c> (the partition number as text): one stream per partition, so a handful
    /// of subscriber activations however many keys there are, and a delivery carries up to
    /// <see cref="KafkaStreamOptions.PollBatchSizeMax"/> consecutive records to an <c>IAsyncBatchObserver</c>. If the
    /// consumer throws, the whole batch comes again. For throughput consumers such as the ledger feed.
    /// </summary>
    Partition,
}
