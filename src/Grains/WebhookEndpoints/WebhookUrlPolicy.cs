using System.Net;
using System.Net.Sockets;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// Where a webhook may go (SSRF). An absolute https URL (http only with <see cref="WebhookOutOptions.AllowHttp"/>),
/// without user info or fragment, whose host is neither literally nor by DNS a loopback, private, link-local,
/// carrier-grade NAT, multicast, unspecified, broadcast, documentation or cloud-metadata address (unless
/// <see cref="WebhookOutOptions.AllowPrivateNetworks"/>). Checked when an endpoint is registered (its literal and
/// every address its name resolves to) and again for the address every connection actually opens to, so a name
/// that later resolves elsewhere (DNS rebinding) is refused at connect time.
/// </summary>
public sealed class WebhookUrlPolicy(bool allowHttp, bool allowPrivateNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int UrlLengthMax = 2048;

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public bool AllowPrivateNetworks => allowPrivateNetworks;

    /// <summary>The addresses a host name resolves to (the injected resolver in tests).</summary>
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => _resolve(host, cancellationToken);

    /// <summary>The URL's shape and literal host; null when it may be used, else why not.</summary>
    public string? CheckShape(string url, out Uri? uri)
    {
        uri = null;
        if (url.Length > UrlLengthMax || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return $"url must be an absolute URL of at most {UrlLengthMax} characters.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && !(allowHttp && parsed.Scheme == Uri.UriSchemeHttp))
        {
            return allowHttp ? "url must be http or https." : "url must be https.";
        }

        if (parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0)
        {
            return "url must not carry user information or a fragment.";
        }

        if (parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(parsed.IdnHost.Trim('[', ']'), out var literal)
            && Refuses(literal))
        {
            return $"url must not point to a private, loopback, link-local, multicast or metadata address ({literal}).";
        }

        if (!allowPrivateNetworks && parsed.IsLoopback)
        {
            return "url must not point to this machine.";
        }

        uri = parsed;
        return null;
    }

    /// <summary>The shape, then every address the host resolves to; null when it may be used, else why not.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken = default)
    {
        if (CheckShape(url, out var uri) is { } refused)
        {
            return refused;
        }

        if (uri!.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"url's host {uri.IdnHost} does not resolve.";
        }

        if (addresses.Length == 0)
        {
            return $"url's host {uri.IdnHost} does not resolve.";
        }

        return addresses.FirstOrDefault(Refuses) is { } inside
            ? $"url's host {uri.IdnHost} resolves to a private, loopback, link-local, multicast or metadata address ({inside})."
            : null;
    }

    /// <summary>Whether a connection to <paramref name="address"/> is refused (at registration and at every connect).</summary>
    public bool Refuses(IPAddress address) => !allowPrivateNetworks && IsInternal(address);

    /// <summary>Loopback, private, link-local, CGNAT, multicast, unspecified, broadcast, documentation, benchmark, metadata; IPv4-mapped and NAT64 forms included.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsInternal(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            {
                // 64:ff9b::/96 (NAT64) embeds an IPv4 address in its last four bytes.
                return IsInternal(new IPAddress(b[12..]));
            }

            return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc // fc00::/7 unique local
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // 2001:db8::/32 documentation
                || (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2); // fd00:ec2::254 is in fc00::/7 already
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and <= 127, // 100.64.0.0/10 carrier-grade NAT
            169 => v4[1] == 254, // link-local, and 169.254.169.254 cloud metadata
            172 => v4[1] is >= 16 and <= 31,
            192 => (v4[1] == 168) || (v4[1] == 0 && v4[2] is 0 or 2) || (v4[1] == 88 && v4[2] == 99),
            198 => v4[1] is 18 or 19 || (v4[1] == 51 && v4[2] == 100),
            203 => v4[1] == 0 && v4[2] == 113,
            >= 224 => true, // multicast, reserved, broadcast
            _ => false,
        };
    }
}
