using System.Security.Cryptography;
using Payments.Actors.Webhooks;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// The Bank: <c>X-Bank-Signature: keyId=&lt;key id&gt;,ts=&lt;unix seconds&gt;,sig=&lt;hex HMAC-SHA256(secret, "&lt;ts&gt;:&lt;body&gt;")&gt;</c>.
/// The key id names the secret (configured as <c>&lt;key id&gt;:&lt;secret&gt;</c>); every secret configured under that id is tried.
/// </summary>
public sealed class BankSignature : IWebhookSignatureScheme
{
    public const string HeaderName = "X-Bank-Signature";

    public string Provider => WebhookProviders.Bank;

    public IReadOnlyList<(string Name, string Description)> Headers { get; } =
    [
        (HeaderName, "Bank: keyId=<key id>,ts=<unix seconds>,sig=<hex HMAC-SHA256(secret of that key id, \"<ts>:<raw body>\")>."),
    ];

    /// <summary>The key id and secret of a configured <c>&lt;key id&gt;:&lt;secret&gt;</c> entry; null when it is not one.</summary>
    public static (string KeyId, string Secret)? KeyOf(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < entry.Length - 1 ? (entry[..colon], entry[(colon + 1)..]) : null;
    }

    public WebhookSignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (WebhookSignatures.Single(headers, HeaderName) is not { } header || WebhookSignatures.Pairs(header) is not { } pairs)
        {
            return WebhookSignatureCheck.Invalid($"{HeaderName} is missing or malformed");
        }

        var keyIds = pairs.Where(p => p.Key == "keyId").Select(p => p.Value).ToList();
        var timestamps = pairs.Where(p => p.Key == "ts").Select(p => p.Value).ToList();
        var signatures = pairs.Where(p => p.Key == "sig").Select(p => WebhookSignatures.Hex(p.Value, 32)).ToList();
        if (keyIds.Count != 1 || timestamps.Count != 1 || WebhookSignatures.UnixTime(timestamps[0]) is not { } signedAt
            || signatures is not [{ } signature])
        {
            return WebhookSignatureCheck.Invalid($"{HeaderName} needs one keyId, one ts=<unix seconds> and one sig=<64 hex digits>");
        }

        var keyed = secrets.Select(KeyOf).Where(k => k is { } key && key.KeyId == keyIds[0]).Select(k => k!.Value.Secret).ToList();
        if (keyed.Count == 0 || !WebhookSignatures.AnyMatches(HashAlgorithmName.SHA256, keyed, timestamps[0] + ":", body, [signature]))
        {
            return WebhookSignatureCheck.Invalid("the signature does not match a secret configured for its key id");
        }

        return WebhookSignatures.IsWithin(signedAt, now, tolerance)
            ? WebhookSignatureCheck.Valid
            : new WebhookSignatureCheck(WebhookSignatureVerdict.TimestampOutOfTolerance, $"signed at {signedAt:O}");
    }
}
