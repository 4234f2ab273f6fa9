using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// The request-signing scheme shared by all simulated providers and the platform's adapters:
/// <c>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;METHOD&gt;.&lt;path and query&gt;.&lt;raw body&gt;")&gt;</c>.
/// The secret is used as its UTF-8 bytes; the path and query are the request target exactly as sent
/// (for <see cref="HttpClient"/>, <c>RequestUri.PathAndQuery</c>).
/// </summary>
public static class RequestSignature
{
    public const string HeaderName = "X-Signature";
    public const long ToleranceSecondsDefault = 300;

    // Several v1 values let a provider rotate secrets; more than a handful is an attack, not a rotation.
    private const int SignaturesPerHeaderMax = 4;
    private const int MacBytes = 32;

    public static string Sign(string secret, long unixSeconds, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var mac = ComputeMac(secret, unixSeconds, method, pathAndQuery, body);
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}");
    }

    public static string Sign(string secret, long unixSeconds, string method, string pathAndQuery, string body) =>
        Sign(secret, unixSeconds, method, pathAndQuery, Encoding.UTF8.GetBytes(body));

    public static SignatureVerdict Verify(
        string secret,
        string? signatureHeader,
        string method,
        string pathAndQuery,
        ReadOnlySpan<byte> body,
        long nowUnixSeconds,
        long toleranceSeconds = ToleranceSecondsDefault)
    {
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureVerdict.Missing;
        }

        var header = signatureHeader.AsSpan();
        long? timestamp = null;
        Span<byte> presented = stackalloc byte[SignaturesPerHeaderMax * MacBytes];
        var presentedCount = 0;
        foreach (var part in header.Split(','))
        {
            var element = header[part].Trim();
            if (element.StartsWith("t="))
            {
                if (timestamp is not null || !long.TryParse(element[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    return SignatureVerdict.Malformed;
                }

                timestamp = parsed;
            }
            else if (element.StartsWith("v1="))
            {
                var hex = element[3..];
                if (presentedCount == SignaturesPerHeaderMax || hex.Length != MacBytes * 2)
                {
                    return SignatureVerdict.Malformed;
                }

                var slot = presented.Slice(presentedCount * MacBytes, MacBytes);
                if (Convert.FromHexString(hex, slot, out _, out var written) != OperationStatus.Done || written != MacBytes)
                {
                    return SignatureVerdict.Malformed;
                }

                presentedCount++;
            }
        }

        if (timestamp is not { } t || presentedCount == 0)
        {
            return SignatureVerdict.Malformed;
        }

        if (Math.Abs(nowUnixSeconds - t) > toleranceSeconds)
        {
            return SignatureVerdict.Stale;
        }

        var expected = ComputeMac(secret, t, method, pathAndQuery, body);
        var matched = false;
        for (var i = 0; i < presentedCount; i++)
        {
            // Every candidate is compared so the time taken does not reveal which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, presented.Slice(i * MacBytes, MacBytes));
        }

        return matched ? SignatureVerdict.Valid : SignatureVerdict.Mismatch;
    }

    private static byte[] ComputeMac(string secret, long unixSeconds, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        var prefix = string.Create(
            CultureInfo.InvariantCulture,
            $"{unixSeconds}.{method.ToUpperInvariant()}.{pathAndQuery}.");
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
