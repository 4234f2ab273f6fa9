using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// HMAC-SHA256 request signing towards PSPs: header <c>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>
/// over <c>"{t}.{METHOD}.{path and query}.{body}"</c>. The timestamp bounds replay.
/// </summary>
public static class RequestSignature
{
    public const string HeaderName = "X-Signature";

    public static string Sign(string secret, long unixSeconds, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{unixSeconds}.{method.ToUpperInvariant()}.{pathAndQuery}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }
}
