using System.Globalization;
using System.Security.Cryptography;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// PSP B (Adyen-like): <c>X-PSPB-Timestamp: &lt;ISO 8601 UTC&gt;</c> and
/// <c>X-PSPB-Signature: &lt;base64 HMAC-SHA512(secret, "&lt;timestamp header&gt;\n&lt;body&gt;")&gt;</c>, two comma-separated during a rotation.
/// </summary>
public sealed class PspBSignature : IWebhookSignatureScheme
{
    public const string TimestampHeader = "X-PSPB-Timestamp";
    public const string SignatureHeader = "X-PSPB-Signature";

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    public string Provider => WebhookProviders.PspB;

    public IReadOnlyList<(string Name, string Description)> Headers { get; } =
    [
        (TimestampHeader, "PSP B: when it signed, ISO 8601 UTC (2026-12-03T10:00:00Z)."),
        (SignatureHeader, "PSP B: base64 HMAC-SHA512(secret, \"<X-PSPB-Timestamp>\\n<raw body>\"); two, comma-separated, during a rotation."),
    ];

    public WebhookSignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        var timestamp = WebhookSignatures.Single(headers, TimestampHeader);
        var header = WebhookSignatures.Single(headers, SignatureHeader);
        if (timestamp is null || header is null
            || !DateTimeOffset.TryParseExact(timestamp, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return WebhookSignatureCheck.Invalid($"{TimestampHeader} (ISO 8601 with a zone) and {SignatureHeader} are required");
        }

        var signatures = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Base64).ToList();
        if (signatures.Count == 0 || signatures.Contains(null))
        {
            return WebhookSignatureCheck.Invalid($"{SignatureHeader} must be base64 HMAC-SHA512 values");
        }

        if (!WebhookSignatures.AnyMatches(HashAlgorithmName.SHA512, secrets, timestamp + "\n", body, signatures!))
        {
            return WebhookSignatureCheck.Invalid("no signature matches a configured secret");
        }

        return WebhookSignatures.IsWithin(signedAt, now, tolerance)
            ? WebhookSignatureCheck.Valid
            : new WebhookSignatureCheck(WebhookSignatureVerdict.TimestampOutOfTolerance, $"signed at {signedAt:O}");
    }

    private static byte[]? Base64(string value)
    {
        var bytes = new byte[64];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 64 ? bytes : null;
    }
}
