using System.Net;
using Microsoft.Extensions.Options;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// Section <c>Webhooks</c>: per provider (<c>psp-a</c>, <c>psp-b</c>, <c>bank</c>) the networks it may post from and its
/// signing secrets, newest first (two during a rotation; the Bank's entries are <c>&lt;key id&gt;:&lt;secret&gt;</c>);
/// and the timestamp tolerance. A provider without a secret is not served (404): it cannot be verified.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Bodies above this are refused with 413 before they are read in full.</summary>
    public const int BodyBytesMax = 64 * 1024;

    /// <summary>Where a provider may post from when its <c>AllowedNetworks</c> is empty: this machine only.</summary>
    public static readonly IReadOnlyList<string> DefaultNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>How far a signed timestamp may be from our clock, either way.</summary>
    public int TimestampToleranceSeconds { get; set; } = 300;

    public Dictionary<string, WebhookProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Section <c>Webhooks:Providers:&lt;provider&gt;</c>. Arrays, so configuration replaces them rather than appending.</summary>
public sealed class WebhookProviderOptions
{
    /// <summary>CIDRs (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>); empty means <see cref="WebhookOptions.DefaultNetworks"/>.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Signing secrets, newest first; every one is tried.</summary>
    public string[] Secrets { get; set; } = [];
}

public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.TimestampToleranceSeconds is < 1 or > 3600)
        {
            failures.Add("Webhooks:TimestampToleranceSeconds must be between 1 and 3600.");
        }

        foreach (var (provider, settings) in options.Providers)
        {
            var prefix = $"Webhooks:Providers:{provider}";
            if (!WebhookProviders.IsKnown(provider))
            {
                failures.Add($"{prefix}: unknown provider; known are {string.Join(", ", WebhookProviders.All)}.");
                continue;
            }

            failures.AddRange(settings.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)).Select(n => $"{prefix}:AllowedNetworks: '{n}' is not a CIDR."));
            if (settings.Secrets.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{prefix}:Secrets must not hold an empty secret.");
            }
            else if (provider == WebhookProviders.Bank && settings.Secrets.Any(s => BankSignature.KeyOf(s) is null))
            {
                failures.Add($"{prefix}:Secrets entries must be <key id>:<secret>.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
