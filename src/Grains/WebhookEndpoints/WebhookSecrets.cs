using System.Buffers.Text;
using System.Security.Cryptography;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>Signing secrets: <c>whsec_</c> and 32 random bytes (base64url). Never logged; shown once, in the answer that made it.</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
