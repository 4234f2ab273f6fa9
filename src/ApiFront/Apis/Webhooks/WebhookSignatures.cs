using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

public enum WebhookSignatureVerdict
{
    Valid,

    /// <summary>Missing, malformed, or no configured secret produces it.</summary>
    SignatureInvalid,

    /// <summary>Authentic, but signed too far from our clock (a replay, or a clock far off).</summary>
    TimestampOutOfTolerance,
}

/// <summary>A verdict and, when it is not <see cref="WebhookSignatureVerdict.Valid"/>, why (for the log; never a secret).</summary>
public readonly record struct WebhookSignatureCheck(WebhookSignatureVerdict Verdict, string? Problem = null)
{
    public static WebhookSignatureCheck Valid { get; } = new(WebhookSignatureVerdict.Valid);

    public static WebhookSignatureCheck Invalid(string problem) => new(WebhookSignatureVerdict.SignatureInvalid, problem);
}

/// <summary>One provider's signature scheme (docs/psp-webhooks.md): the headers it signs with and how to check them.</summary>
public interface IWebhookSignatureScheme
{
    string Provider { get; }

    /// <summary>The headers the scheme reads, for the OpenAPI document.</summary>
    IReadOnlyList<(string Name, string Description)> Headers { get; }

    WebhookSignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance);
}

/// <summary>
/// What the three schemes share: the MAC over a signed prefix and the raw body, compared in constant time against every
/// candidate signature with every secret (no early exit), and the tolerance of the signed timestamp. The secret's key is
/// its UTF-8 bytes as configured.
/// </summary>
public static class WebhookSignatures
{
    public static bool AnyMatches(HashAlgorithmName algorithm, IEnumerable<string> secrets, string signedPrefix, ReadOnlySpan<byte> body,
        IReadOnlyList<byte[]> candidates)
    {
        var prefix = Encoding.UTF8.GetBytes(signedPrefix);
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var matched = false;
        foreach (var secret in secrets)
        {
            var mac = CryptographicOperations.HmacData(algorithm, Encoding.UTF8.GetBytes(secret), message);
            foreach (var candidate in candidates)
            {
                matched |= CryptographicOperations.FixedTimeEquals(mac, candidate);
            }
        }

        return matched;
    }

    public static bool IsWithin(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan tolerance) => (now - signedAt).Duration() <= tolerance;

    /// <summary>Unix seconds as a time, when they name one.</summary>
    public static DateTimeOffset? UnixTime(string? text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Lowercase or uppercase hex of <paramref name="bytes"/> bytes, decoded; null when it is not.</summary>
    public static byte[]? Hex(string value, int bytes)
    {
        if (value.Length != bytes * 2)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The <c>key=value</c> pairs of a comma-separated header, in order; null when one part has no '='.</summary>
    public static List<(string Key, string Value)>? Pairs(string header)
    {
        var pairs = new List<(string, string)>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            pairs.Add((part[..equals], part[(equals + 1)..]));
        }

        return pairs;
    }

    /// <summary>The one value of a header; null when it is absent, empty or repeated.</summary>
    public static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;
}
