using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// The <c>Payments-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>,
/// one <c>v1</c> per secret in force (two during a rotation). A receiver recomputes it with its secret, accepts when any
/// <c>v1</c> matches in constant time, and refuses a <c>t</c> too far from its clock (replays).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Payments-Signature";

    public static string Header(DateTimeOffset timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var header = new StringBuilder("t=").Append(t);
        foreach (var secret in secrets)
        {
            header.Append(",v1=").Append(Compute(secret, t, body));
        }

        return header.ToString();
    }

    /// <summary>The hex HMAC-SHA256 of <c>"&lt;t&gt;.&lt;body&gt;"</c> under <paramref name="secret"/> (the whole <c>whsec_…</c> string, as UTF-8).</summary>
    public static string Compute(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: some <c>v1</c> of the header matches under <paramref name="secret"/> and <c>t</c> is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var (key, value) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (part[..at], part[(at + 1)..]) : (part, string.Empty);
            if (key == "t")
            {
                t = value;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }
        }

        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, t, body));
        var matched = false;
        foreach (var signature in signatures)
        {
            matched |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
        }

        return matched;
    }
}
