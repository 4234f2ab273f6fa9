using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>Webhooks to merchants (section <c>Webhooks:Out</c>): URL rules, the delivery schedule, the breaker, limits.</summary>
public sealed class WebhookOutOptions
{
    public const string SectionName = "Webhooks:Out";

    /// <summary>Allow <c>http://</c> URLs (development and tests); production keeps https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow loopback, private, link-local, multicast and metadata addresses (local receivers in development and tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    public int EndpointsPerMerchantMax { get; set; } = 16;

    /// <summary>Whether this silo runs a dispatcher (every silo does by default; they share the work).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>One attempt: connect, send, and a 2xx status line within this.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay ceiling; it doubles per attempt up to <see cref="RetryDelayMax"/>, with full jitter.</summary>
    public TimeSpan RetryDelayBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery not delivered this long after its event is <c>failed</c>.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Consecutive failed attempts to one endpoint that open its breaker.</summary>
    public int BreakerFailuresMax { get; set; } = 5;

    /// <summary>How long an open breaker holds an endpoint's deliveries back before one probe is sent.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An endpoint that has not accepted a delivery for this long is disabled (its deliveries are kept; a merchant re-enables it by recreating it).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Attempts in flight to one endpoint from one silo.</summary>
    public int ConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>Attempts in flight from one silo.</summary>
    public int ConcurrencyMax { get; set; } = 64;

    /// <summary>How often an idle dispatcher looks for due deliveries (commits in its own process wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes of a receiver's answer read (the rest is discarded), and kept as its error at most 200 characters.</summary>
    public int ResponseBodyBytesMax { get; set; } = 4096;
}

public sealed class WebhookOutOptionsValidator : IValidateOptions<WebhookOutOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOutOptions options)
    {
        var failures = new List<string>();
        Check(options.EndpointsPerMerchantMax is >= 1 and <= 1000, "EndpointsPerMerchantMax must be within 1..1000.");
        Check(options.AttemptTimeout >= TimeSpan.FromMilliseconds(100) && options.AttemptTimeout <= TimeSpan.FromMinutes(1), "AttemptTimeout must be within 100 ms..1 min.");
        Check(options.RetryDelayBase > TimeSpan.Zero && options.RetryDelayBase <= options.RetryDelayMax, "RetryDelayBase must be positive and at most RetryDelayMax.");
        Check(options.RetryFor > TimeSpan.Zero, "RetryFor must be positive.");
        Check(options.BreakerFailuresMax >= 1, "BreakerFailuresMax must be at least 1.");
        Check(options.BreakDuration > TimeSpan.Zero, "BreakDuration must be positive.");
        Check(options.DisableAfter > TimeSpan.Zero, "DisableAfter must be positive.");
        Check(options.ConcurrencyPerEndpoint >= 1 && options.ConcurrencyPerEndpoint <= options.ConcurrencyMax, "ConcurrencyPerEndpoint must be within 1..ConcurrencyMax.");
        Check(options.PollInterval > TimeSpan.Zero, "PollInterval must be positive.");
        Check(options.ResponseBodyBytesMax is >= 0 and <= 1 << 20, "ResponseBodyBytesMax must be within 0..1 MiB.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => $"{WebhookOutOptions.SectionName}:{f}"));

        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                failures.Add(failure);
            }
        }
    }
}
