using System.Security.Cryptography;
using System.Text;
using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Edge.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header and the request fingerprint.</summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int LengthMax = 255;

    /// <summary>1 to 255 visible ASCII characters (a UUID is the usual choice).</summary>
    public static bool IsWellFormed(string key) =>
        key.Length is >= 1 and <= LengthMax && key.All(c => c is >= '!' and <= '~');

    /// <summary>The request's one well-formed key, required on every POST; null when there is one, else the 400 to answer.</summary>
    public static IResult? Read(HttpContext context, out string key)
    {
        key = string.Empty;
        var values = context.Request.Headers[HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.IdempotencyKeyMissing,
                $"The {HeaderName} header is required on every POST (a UUID is a good choice).");
        }

        if (values.Count > 1 || !IsWellFormed(values[0]!))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.IdempotencyKeyInvalid,
                $"The {HeaderName} header must be one value of 1 to {LengthMax} visible ASCII characters.");
        }

        key = values[0]!;
        return null;
    }

    /// <summary>
    /// The fingerprint of keys stored before <see cref="RequestFingerprint"/>: SHA-256 over (method, path, merchant,
    /// amount, currency, payment method, capture mode), hex. It did not cover every field; it is kept only to replay
    /// retries of such keys until they expire (the key TTL), and refuses a request as it did then.
    /// The card enters only as brand-free last four digits and expiry: a hash of a whole PAN is
    /// brute-forceable and would put card data at rest.
    /// </summary>
    public static string Fingerprint(string method, string path, string merchantId, long? amountMinor, string? currency,
        string? paymentMethod = null, string? extra = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(LengthPrefixed([method.ToUpperInvariant(), path, merchantId,
            amountMinor?.ToString(System.Globalization.CultureInfo.InvariantCulture), currency, paymentMethod, extra]))));

    /// <summary>Length-prefixed values, absent ones as <c>-1:</c>: no value can imitate another field or an absent one.</summary>
    internal static string LengthPrefixed(ReadOnlySpan<string?> values)
    {
        var canonical = new StringBuilder();
        foreach (var value in values)
        {
            canonical.Append(value is null ? "-1:" : $"{value.Length}:{value}");
        }

        return canonical.ToString();
    }
}
