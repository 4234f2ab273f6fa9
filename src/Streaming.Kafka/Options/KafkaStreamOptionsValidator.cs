namespace Payments.Actors.Streaming.Kafka.Options;

/// <summary>Fails the silo's start with every problem of a provider's <see cref="KafkaStreamOptions"/> at once.</summary>
public static class KafkaStreamOptionsValidator
{
    public const int PartitionCountMax = 1024;

    public static IReadOnlyList<string> Validate(string providerName, KafkaStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = $"Kafka stream provider '{providerName}':";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add($"{prefix} BootstrapServers is required.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroupId))
        {
            failures.Add($"{prefix} ConsumerGroupId is required.");
        }

        if (options.Topics.Count == 0 || options.Topics.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{prefix} Topics must name at least one topic and no empty ones.");
        }
        else if (options.Topics.Distinct(StringComparer.Ordinal).Count() != options.Topics.Count)
        {
            failures.Add($"{prefix} Topics lists a topic twice.");
        }

        if (options.PartitionCount is < 0 or > PartitionCountMax)
        {
            failures.Add($"{prefix} PartitionCount must be 0 (discover) or 1..{PartitionCountMax}, not {options.PartitionCount}.");
        }

        if (options.PollBatchSizeMax < 1)
        {
            failures.Add($"{prefix} PollBatchSizeMax must be at least 1.");
        }

        if (options.CacheSize < 10)
        {
            failures.Add($"{prefix} CacheSize must be at least 10.");
        }

        if (options.PendingRecordsMax < options.CacheSize)
        {
            failures.Add($"{prefix} PendingRecordsMax must be at least CacheSize.");
        }

        if (options.MetadataTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix} MetadataTimeout must be positive.");
        }

        if (options.DeliveryBackoffMin <= TimeSpan.Zero || options.DeliveryBackoffMax < options.DeliveryBackoffMin)
        {
            failures.Add($"{prefix} DeliveryBackoffMin must be positive and not above DeliveryBackoffMax.");
        }

        return failures;
    }
}
