using System.Security.Cryptography;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// PSP A (Stripe-like): <c>X-Request-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>,
/// with several <c>v1</c> during the PSP's rotation (one match is enough); other schemes in the header are ignored.
/// </summary>
public sealed class PspASignature : IWebhookSignatureScheme
{
    public const string HeaderName = "X-Request-Signature";

    public string Provider => WebhookProviders.PspA;

    public IReadOnlyList<(string Name, string Description)> Headers { get; } =
    [
        (HeaderName, "PSP A: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>; several v1 during a rotation."),
    ];

    public WebhookSignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (WebhookSignatures.Single(headers, HeaderName) is not { } header || WebhookSignatures.Pairs(header) is not { } pairs)
        {
            return WebhookSignatureCheck.Invalid($"{HeaderName} is missing or malformed");
        }

        var timestamps = pairs.Where(p => p.Key == "t").Select(p => p.Value).ToList();
        var signatures = pairs.Where(p => p.Key == "v1").Select(p => WebhookSignatures.Hex(p.Value, 32)).ToList();
        if (timestamps.Count != 1 || WebhookSignatures.UnixTime(timestamps[0]) is not { } signedAt || signatures.Count == 0 || signatures.Contains(null))
        {
            return WebhookSignatureCheck.Invalid($"{HeaderName} needs one t=<unix seconds> and at least one v1=<64 hex digits>");
        }

        if (!WebhookSignatures.AnyMatches(HashAlgorithmName.SHA256, secrets, timestamps[0] + ".", body, signatures!))
        {
            return WebhookSignatureCheck.Invalid("no v1 signature matches a configured secret");
        }

        return WebhookSignatures.IsWithin(signedAt, now, tolerance)
            ? WebhookSignatureCheck.Valid
            : new WebhookSignatureCheck(WebhookSignatureVerdict.TimestampOutOfTolerance, $"signed at {signedAt:O}");
    }
}
