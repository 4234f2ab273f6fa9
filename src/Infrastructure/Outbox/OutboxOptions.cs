using Microsoft.Extensions.Options;

namespace Payments.Actors.Infrastructure.Outbox;

/// <summary>The outbox relay: <c>Outbox</c> section; Kafka itself comes from <c>Kafka:BootstrapServers</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Whether this silo runs a relay. Several silos may; rows are claimed with SKIP LOCKED.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>Rows claimed per transaction.</summary>
    public int BatchMax { get; set; } = 500;

    /// <summary>How often an idle relay looks for rows written by other processes (its own silo's commits wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one produce may take before the row counts as failed and is retried later (librdkafka message.timeout.ms).</summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed publish attempts after which a row is parked (status PARKED) for an operator.</summary>
    public int AttemptsMax { get; set; } = 20;

    /// <summary>Pause after a batch with failures, so a broker outage is not hammered.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>PUBLISHED rows older than this are deleted (Kafka and the consumers have them).</summary>
    public TimeSpan RetainPublished { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the lag gauges are refreshed from PostgreSQL.</summary>
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        var failures = new List<string>();
        if (options.BatchMax is < 1 or > 10_000)
        {
            failures.Add("Outbox:BatchMax must be between 1 and 10000.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add("Outbox:PollInterval must be positive.");
        }

        if (options.ProduceTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add("Outbox:ProduceTimeout must be at least 1 s.");
        }

        if (options.AttemptsMax < 1)
        {
            failures.Add("Outbox:AttemptsMax must be at least 1.");
        }

        if (options.FailureBackoff < TimeSpan.Zero || options.RetainPublished <= TimeSpan.Zero || options.GaugeInterval <= TimeSpan.Zero)
        {
            failures.Add("Outbox:FailureBackoff, RetainPublished and GaugeInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
