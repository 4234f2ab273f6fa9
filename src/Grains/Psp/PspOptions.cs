using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.Psp;

/// <summary>Connector settings per PSP (section <c>Psp:Providers:{name}</c>), with the seed's defaults (§5.2, Appendix B).</summary>
public sealed class PspOptions
{
    public const string SectionName = "Psp";

    public Dictionary<string, PspProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class PspProviderOptions
{
    public static readonly TimeSpan ConnectTimeoutDefault = TimeSpan.FromMilliseconds(400);
    public static readonly TimeSpan RequestTimeoutDefault = TimeSpan.FromSeconds(3);

    /// <summary>Root URL of the provider; the connector appends its own paths.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Shared secret for HMAC request signing. Empty: requests are sent unsigned (only for a simulator that does not check).</summary>
    public string? HmacSecret { get; set; }

    public bool Enabled { get; set; } = true;

    public TimeSpan ConnectTimeout { get; set; } = ConnectTimeoutDefault;

    public TimeSpan RequestTimeout { get; set; } = RequestTimeoutDefault;

    /// <summary>Connections kept to the provider; bounds how hard we can hit it.</summary>
    public int ConnectionsMax { get; set; } = 256;
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

            if (settings.ConnectTimeout <= TimeSpan.Zero || settings.RequestTimeout <= TimeSpan.Zero)
            {
                failures.Add($"Psp:Providers:{provider}: timeouts must be positive.");
            }

            if (settings.ConnectionsMax is < 1 or > 10_000)
            {
                failures.Add($"Psp:Providers:{provider}:ConnectionsMax must be between 1 and 10000.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
