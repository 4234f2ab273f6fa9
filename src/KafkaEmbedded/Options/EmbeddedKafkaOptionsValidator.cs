using System.Net;
using Microsoft.Extensions.Options;

namespace Payments.Actors.KafkaEmbedded.Options;

public sealed class EmbeddedKafkaOptionsValidator : IValidateOptions<EmbeddedKafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedKafkaOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Host, out _))
        {
            failures.Add($"Kafka:Host must be an IP address, not '{options.Host}'.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Kafka:Port must be 0..65535, not {options.Port}.");
        }

        if (options.BrokerCount is < 1 or > EmbeddedKafkaOptions.BrokerCountMax)
        {
            failures.Add($"Kafka:BrokerCount must be 1..{EmbeddedKafkaOptions.BrokerCountMax}, not {options.BrokerCount}.");
        }

        if (options.Partitions is < 1 or > EmbeddedKafkaOptions.PartitionsMax)
        {
            failures.Add($"Kafka:Partitions must be 1..{EmbeddedKafkaOptions.PartitionsMax}, not {options.Partitions}.");
        }

        if (options.Topics.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Kafka:Topics must not contain empty names.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
