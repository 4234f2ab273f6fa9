using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.Psp;

/// <summary>Connector settings per PSP (section <c>Psp:Providers:{name}</c>), with the seed's defaults (§2, §5.2, Appendix B).</summary>
public sealed class PspOptions
{
    public const string SectionName = "Psp";

    public Dictionary<string, PspProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which PSPs a payment is offered to, in order, before live health reorders them.</summary>
    public PspRoutingOptions Routing { get; set; } = new();

    public static readonly TimeSpan SettingsRefreshIntervalDefault = TimeSpan.FromSeconds(1);

    /// <summary>How often each silo re-reads the operators' kill switches; a change is in force everywhere within about this long.</summary>
    public TimeSpan SettingsRefreshInterval { get; set; } = SettingsRefreshIntervalDefault;
}

public sealed class PspProviderOptions
{
    public static readonly TimeSpan ConnectTimeoutDefault = TimeSpan.FromMilliseconds(400);
    public static readonly TimeSpan RequestTimeoutDefault = TimeSpan.FromSeconds(3);
    public const int RetryAttemptsMaxDefault = 2;
    public static readonly TimeSpan RetryBackoffBaseDefault = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryJitterMaxDefault = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan AdapterBudgetTotalDefault = TimeSpan.FromSeconds(8);
    public const double BreakerFailureRatioDefault = 0.2;
    public static readonly TimeSpan BreakerSamplingDurationDefault = TimeSpan.FromSeconds(60);
    public const int BreakerThroughputMinDefault = 20;
    public const int BreakerConsecutiveFailuresMax = 10;
    public static readonly TimeSpan BreakDurationDefault = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan HealthWindowDefault = TimeSpan.FromSeconds(30);
    public const int BulkheadConcurrencyMaxDefault = 128;
    public const int BulkheadQueueMaxDefault = 256;
    public const int RoutingPriorityDefault = 100;
    public static readonly TimeSpan AuthorizationValidityDefault = TimeSpan.FromDays(7);

    /// <summary>Root URL of the provider; the connector appends its own paths.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Shared secret for HMAC request signing. Empty: requests are sent unsigned (only for a simulator that does not check).</summary>
    public string? HmacSecret { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long an authorisation at this PSP holds the cardholder's funds. An authorisation not captured within it is
    /// voided by the platform (the payment's reminder), before the PSP lets it lapse on its own.
    /// </summary>
    public TimeSpan AuthorizationValidity { get; set; } = AuthorizationValidityDefault;

    /// <summary>Among healthy PSPs a lower priority is offered a payment first; equal priorities keep the routing rule's order.</summary>
    public int RoutingPriority { get; set; } = RoutingPriorityDefault;

    public TimeSpan ConnectTimeout { get; set; } = ConnectTimeoutDefault;

    /// <summary>Timeout of one attempt; the adapter's budget bounds all attempts together.</summary>
    public TimeSpan RequestTimeout { get; set; } = RequestTimeoutDefault;

    /// <summary>Connections kept to the provider; bounds how hard we can hit it.</summary>
    public int ConnectionsMax { get; set; } = 256;

    /// <summary>Retries after the first try, only for answers that may be retried under the same request id.</summary>
    public int RetryAttemptsMax { get; set; } = RetryAttemptsMaxDefault;

    /// <summary>Backoff before retry i (0-based) is <c>RetryBackoffBase * 2^i + random(0..RetryJitterMax)</c>.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = RetryBackoffBaseDefault;

    public TimeSpan RetryJitterMax { get; set; } = RetryJitterMaxDefault;

    /// <summary>All tries and backoffs of one call together never take longer than this.</summary>
    public TimeSpan AdapterBudgetTotal { get; set; } = AdapterBudgetTotalDefault;

    /// <summary>The breaker opens when at least this share of attempts failed within the sampling duration...</summary>
    public double BreakerFailureRatio { get; set; } = BreakerFailureRatioDefault;

    public TimeSpan BreakerSamplingDuration { get; set; } = BreakerSamplingDurationDefault;

    /// <summary>...provided at least this many attempts were made in it.</summary>
    public int BreakerThroughputMin { get; set; } = BreakerThroughputMinDefault;

    /// <summary>The breaker also opens after this many failed attempts in a row, whatever the volume.</summary>
    public int BreakerConsecutiveFailures { get; set; } = BreakerConsecutiveFailuresMax;

    /// <summary>How long the breaker stays open before one half-open probe (seed: 15-30 s).</summary>
    public TimeSpan BreakDuration { get; set; } = BreakDurationDefault;

    /// <summary>How far back routing looks at success rate and p95 latency; a demoted PSP recovers once its failures age out.</summary>
    public TimeSpan HealthWindow { get; set; } = HealthWindowDefault;

    /// <summary>Calls in flight to this PSP from one silo; more wait in the queue.</summary>
    public int BulkheadConcurrencyMax { get; set; } = BulkheadConcurrencyMaxDefault;

    /// <summary>Calls waiting for a slot; beyond this a call fails fast without being sent.</summary>
    public int BulkheadQueueMax { get; set; } = BulkheadQueueMaxDefault;

    /// <summary>A copy to apply an operator's overrides to; the configured instance is never changed.</summary>
    public PspProviderOptions Clone() => (PspProviderOptions)MemberwiseClone();
}

public sealed class PspOptionsValidator : IValidateOptions<PspOptions>
{
    public ValidateOptionsResult Validate(string? name, PspOptions options)
    {
        var failures = new List<string>();
        foreach (var (provider, settings) in options.Providers)
        {
            if (settings.BaseUrl is null || !settings.BaseUrl.IsAbsoluteUri)
            {
                failures.Add($"Psp:Providers:{provider}:BaseUrl must be an absolute URL.");
            }

            if (settings.ConnectionsMax is < 1 or > 10_000)
            {
                failures.Add($"Psp:Providers:{provider}:ConnectionsMax must be between 1 and 10000.");
            }

            if (settings.AuthorizationValidity < TimeSpan.FromMinutes(1) || settings.AuthorizationValidity > TimeSpan.FromDays(31))
            {
                failures.Add($"Psp:Providers:{provider}:AuthorizationValidity must be between 1 minute and 31 days.");
            }

            failures.AddRange(PspResilienceLimits.Check(settings).Select(p => $"Psp:Providers:{provider}:{p.Property} {p.Problem}"));
        }

        if (options.SettingsRefreshInterval < TimeSpan.FromMilliseconds(100) || options.SettingsRefreshInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Psp:SettingsRefreshInterval must be between 100 ms and 1 minute.");
        }

        failures.AddRange(options.Routing.Check(options.Providers.Keys));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
