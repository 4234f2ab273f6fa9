using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>What an independent check of a notification's signature headers found.</summary>
public enum WebhookVerdict
{
    Valid,
    Missing,
    Malformed,
    WrongSignature,
    StaleTimestamp,
}

/// <summary>
/// Checks notification signatures the way docs/psp-webhooks.md describes them for the ingest, written from the
/// document alone: one-shot HMACs over the concatenated bytes, constant-time compares, a 300 s tolerance.
/// It shares no code with the simulator's signer on purpose.
/// </summary>
public static class WebhookVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    /// <summary><paramref name="secrets"/> are <c>(key id, secret)</c>, newest first; PSP A and PSP B ignore the key ids.</summary>
    public static WebhookVerdict Verify(
        string provider, IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyList<(string KeyId, string Secret)> secrets, DateTimeOffset now) =>
        provider switch
        {
            "psp-a" => VerifyPspA(headers, body, secrets, now),
            "psp-b" => VerifyPspB(headers, body, secrets, now),
            "bank" => VerifyBank(headers, body, secrets, now),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
        };

    /// <summary>The comma-separated <c>name=value</c> parts of a header, in order (names may repeat).</summary>
    public static List<KeyValuePair<string, string>> Parts(string header) =>
        [.. header.Split(',').Select(static part => part.Split('=', 2)).Select(static pair => KeyValuePair.Create(pair[0].Trim(), pair.Length == 2 ? pair[1].Trim() : ""))];

    private static WebhookVerdict VerifyPspA(IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyList<(string KeyId, string Secret)> secrets, DateTimeOffset now)
    {
        if (!headers.TryGetValue("X-Request-Signature", out var header))
        {
            return WebhookVerdict.Missing;
        }

        var parts = Parts(header);
        var t = parts.Where(static p => p.Key == "t").Select(static p => p.Value).SingleOrDefault();
        var signatures = parts.Where(static p => p.Key == "v1").Select(static p => p.Value).ToList();
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signatures.Count == 0)
        {
            return WebhookVerdict.Malformed;
        }

        var payload = Concat(t + ".", body);
        var matches = signatures.Any(signature => secrets.Any(secret => FixedTimeEqualsHex(signature, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Secret), payload))));
        return Judge(matches, DateTimeOffset.FromUnixTimeSeconds(seconds), now);
    }

    private static WebhookVerdict VerifyPspB(IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyList<(string KeyId, string Secret)> secrets, DateTimeOffset now)
    {
        if (!headers.TryGetValue("X-PSPB-Timestamp", out var timestamp) || !headers.TryGetValue("X-PSPB-Signature", out var header))
        {
            return WebhookVerdict.Missing;
        }

        if (!DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return WebhookVerdict.Malformed;
        }

        var payload = Concat(timestamp + "\n", body);
        var matches = header.Split(',').Any(signature => secrets.Any(secret =>
            TryFromBase64(signature.Trim(), out var given) && CryptographicOperations.FixedTimeEquals(given, HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret.Secret), payload))));
        return Judge(matches, signedAt, now);
    }

    private static WebhookVerdict VerifyBank(IReadOnlyDictionary<string, string> headers, byte[] body, IReadOnlyList<(string KeyId, string Secret)> secrets, DateTimeOffset now)
    {
        if (!headers.TryGetValue("X-Bank-Signature", out var header))
        {
            return WebhookVerdict.Missing;
        }

        var parts = Parts(header).ToDictionary(static p => p.Key, static p => p.Value, StringComparer.Ordinal);
        if (!parts.TryGetValue("keyId", out var keyId) || !parts.TryGetValue("ts", out var ts) || !parts.TryGetValue("sig", out var sig)
            || !long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerdict.Malformed;
        }

        var secret = secrets.Where(s => s.KeyId == keyId).Select(static s => s.Secret).FirstOrDefault();
        var matches = secret is not null && FixedTimeEqualsHex(sig, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Concat(ts + ":", body)));
        return Judge(matches, DateTimeOffset.FromUnixTimeSeconds(seconds), now);
    }

    private static WebhookVerdict Judge(bool signatureMatches, DateTimeOffset signedAt, DateTimeOffset now) =>
        !signatureMatches ? WebhookVerdict.WrongSignature
        : (now - signedAt).Duration() > Tolerance ? WebhookVerdict.StaleTimestamp
        : WebhookVerdict.Valid;

    private static byte[] Concat(string prefix, byte[] body) => [.. Encoding.UTF8.GetBytes(prefix), .. body];

    private static bool FixedTimeEqualsHex(string hex, byte[] expected)
    {
        // Lower-case hex only, as documented.
        if (hex.Length != expected.Length * 2 || hex.Any(static c => !char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hex), expected);
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
