using Microsoft.Extensions.Options;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>Edge limits of the merchant API (section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public const long AmountMinorMaxDefault = 100_000_000_000;

    /// <summary>The largest amount one request may carry, in minor units.</summary>
    public long AmountMinorMax { get; set; } = AmountMinorMaxDefault;

    /// <summary>Request bodies above this size are refused before they are read.</summary>
    /// <remarks>64 KiB: metadata at every limit at once (50 keys of 40 characters, values of 500) is some 27 KB of ASCII.</remarks>
    public int RequestBodyBytesMax { get; set; } = 64 * 1024;

    /// <summary>How long a finished response stays in the Redis fast path (seed: 48-72 h).</summary>
    public TimeSpan IdempotencyCacheTtl { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// Merchant requests in flight at once per process; beyond it they are refused at once with 503 and
    /// Retry-After. Shedding early keeps an overload at capacity instead of collapsing into timeouts
    /// (BENCHMARKS.md: 800 arrivals/s offered to a 2-core node served 3/s without it).
    /// </summary>
    public int InFlightRequestsMax { get; set; } = InFlightRequestsMaxDefault;

    public const int InFlightRequestsMaxDefault = 400;

    public int ListLimitDefault { get; set; } = 20;

    public int ListLimitMax { get; set; } = 100;
}

public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.AmountMinorMax <= 0)
        {
            failures.Add("Api:AmountMinorMax must be positive.");
        }

        if (options.RequestBodyBytesMax is < 1024 or > 1024 * 1024)
        {
            failures.Add("Api:RequestBodyBytesMax must be between 1 KiB and 1 MiB.");
        }

        if (options.InFlightRequestsMax is < 1 or > 100_000)
        {
            failures.Add("Api:InFlightRequestsMax must be between 1 and 100000.");
        }

        if (options.ListLimitDefault < 1 || options.ListLimitMax < options.ListLimitDefault || options.ListLimitMax > 100)
        {
            failures.Add("Api:ListLimitDefault must be at least 1 and at most Api:ListLimitMax (at most 100).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
