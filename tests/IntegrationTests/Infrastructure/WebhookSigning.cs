using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The providers' webhook signatures as docs/psp-webhooks.md defines them, written from the document and not from the
/// platform's verifier, so a test signs as a real provider would. Keys are the secrets' UTF-8 bytes.
/// </summary>
public static class WebhookSigning
{
    public const string PspAHeader = "X-Request-Signature";
    public const string PspBTimestampHeader = "X-PSPB-Timestamp";
    public const string PspBSignatureHeader = "X-PSPB-Signature";
    public const string BankHeader = "X-Bank-Signature";

    /// <summary><c>t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;…]</c>: one v1 per secret, as PSP A signs during its own rotation.</summary>
    public static string PspA(long unixSeconds, byte[] body, params string[] secrets) =>
        $"t={unixSeconds}," + string.Join(",", secrets.Select(s => "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Key(s), Message($"{unixSeconds}.", body)))));

    /// <summary>The headers of a PSP A delivery signed at <paramref name="at"/> with one secret.</summary>
    public static Dictionary<string, string> PspAHeaders(byte[] body, DateTimeOffset at, string secret) =>
        new() { [PspAHeader] = PspA(at.ToUnixTimeSeconds(), body, secret) };

    /// <summary>The ISO 8601 UTC timestamp header value PSP B signs.</summary>
    public static string PspBTimestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Base64 HMAC-SHA512 of <c>"&lt;timestamp&gt;\n&lt;body&gt;"</c>, comma-separated when several secrets sign.</summary>
    public static string PspB(string timestamp, byte[] body, params string[] secrets) =>
        string.Join(",", secrets.Select(s => Convert.ToBase64String(HMACSHA512.HashData(Key(s), Message(timestamp + "\n", body)))));

    /// <summary><c>keyId=&lt;id&gt;,ts=&lt;unix&gt;,sig=&lt;hex HMAC-SHA256 of "&lt;ts&gt;:&lt;body&gt;"&gt;</c>.</summary>
    public static string Bank(string keyId, string secret, long unixSeconds, byte[] body) =>
        $"keyId={keyId},ts={unixSeconds},sig=" + Convert.ToHexStringLower(HMACSHA256.HashData(Key(secret), Message($"{unixSeconds}:", body)));

    private static byte[] Key(string secret) => Encoding.UTF8.GetBytes(secret);

    private static byte[] Message(string prefix, byte[] body) => [.. Encoding.UTF8.GetBytes(prefix), .. body];
}
