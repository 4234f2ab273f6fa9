using System.Net;
using Microsoft.Extensions.Options;
using Payments.Actors.ServiceDefaults;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>One provider as the edge checks it: where it may post from, its secrets, its signature scheme.</summary>
public sealed record WebhookProviderEdge(string Provider, IReadOnlyList<IPNetwork> Networks, IReadOnlyList<string> Secrets, IWebhookSignatureScheme Scheme)
{
    /// <summary>
    /// Whether the caller's address is inside one of the provider's networks. The address is the connection's
    /// (<see cref="ConnectionInfo.RemoteIpAddress"/>): an <c>X-Forwarded-For</c> header counts only if the host runs
    /// ASP.NET Core's forwarded-headers middleware with its proxies named, which then rewrites that address; this
    /// platform configures none, so a header can never make a caller look allowed.
    /// </summary>
    public bool Allows(IPAddress? caller) => ManagementAccess.IsAllowed(caller, Networks);
}

/// <summary>The configured providers (<see cref="WebhookOptions"/>), parsed once, and the schemes that verify them.</summary>
public sealed class WebhookEdge
{
    private readonly Dictionary<string, WebhookProviderEdge> _providers = new(StringComparer.Ordinal);

    public WebhookEdge(IOptions<WebhookOptions> options, IEnumerable<IWebhookSignatureScheme> schemes)
    {
        Tolerance = TimeSpan.FromSeconds(options.Value.TimestampToleranceSeconds);
        foreach (var scheme in schemes)
        {
            if (options.Value.Providers.GetValueOrDefault(scheme.Provider) is { Secrets.Length: > 0 } settings)
            {
                var networks = settings.AllowedNetworks.Length > 0 ? settings.AllowedNetworks : WebhookOptions.DefaultNetworks;
                _providers[scheme.Provider] = new WebhookProviderEdge(scheme.Provider, [.. networks.Select(IPNetwork.Parse)], settings.Secrets, scheme);
            }
        }
    }

    public TimeSpan Tolerance { get; }

    /// <summary>The provider if it is known and has a secret configured; null otherwise (404).</summary>
    public WebhookProviderEdge? Find(string provider) => _providers.GetValueOrDefault(provider);
}

/// <summary>
/// The headers a refused delivery is audited with: never credentials. Cookies and authorization headers are dropped,
/// and so is any header whose name speaks of a secret, token, password or key; values are cut at 256 characters and at
/// most 40 headers are kept. Signature headers stay: a MAC is evidence, not a secret.
/// </summary>
public static class WebhookAuditHeaders
{
    private const int HeadersMax = 40;
    private const int ValueLengthMax = 256;

    private static readonly string[] Dropped = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
    private static readonly string[] SecretWords = ["secret", "token", "password", "passwd", "api-key", "apikey", "credential"];

    public static IReadOnlyDictionary<string, string> Of(IHeaderDictionary headers) =>
        headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value.AsEnumerable())))
            .Where(h => !Dropped.Contains(h.Name) && !SecretWords.Any(word => h.Name.Contains(word, StringComparison.Ordinal)))
            .Take(HeadersMax)
            .ToDictionary(h => h.Name, h => Clean(h.Value), StringComparer.Ordinal);

    private static string Clean(string value)
    {
        var printable = new string([.. value.Where(c => !char.IsControl(c))]);
        return printable.Length <= ValueLengthMax ? printable : printable[..ValueLengthMax];
    }
}

/// <summary>A webhook body read up to the limit: its bytes, or how many bytes were seen before it was found too large.</summary>
public readonly record struct WebhookBody(byte[]? Bytes, long BytesSeen)
{
    public bool TooLarge => Bytes is null;

    /// <summary>Refuses on <c>Content-Length</c> alone when it says too much; otherwise reads at most one byte past the limit.</summary>
    public static async Task<WebhookBody> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength is { } declared && declared > limit)
        {
            return new WebhookBody(null, declared);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new WebhookBody(null, buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        return new WebhookBody(buffer.ToArray(), buffer.Length);
    }
}
