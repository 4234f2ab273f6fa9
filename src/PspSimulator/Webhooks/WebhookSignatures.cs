using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// The signature headers each provider puts on a notification (docs/psp-webhooks.md). Secrets are used as
/// their UTF-8 bytes. PSP A and PSP B sign with the previous secret too while one is configured; the bank
/// signs with its current key only and names it. A wrong signature is a well-formed one made with a wrong key.
/// </summary>
internal static class WebhookSignatures
{
    public const string PspAHeader = "X-Request-Signature";
    public const string PspBTimestampHeader = "X-PSPB-Timestamp";
    public const string PspBSignatureHeader = "X-PSPB-Signature";
    public const string BankHeader = "X-Bank-Signature";

    private const string WrongKeyPrefix = "not-the-secret:";

    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string provider, WebhookOptions keys, byte[] body, DateTimeOffset timestamp, bool wrong)
    {
        var current = Key(keys.Secret!, wrong);
        var previous = string.IsNullOrWhiteSpace(keys.PreviousSecret) ? null : Key(keys.PreviousSecret, wrong);
        switch (provider)
        {
            case ProviderNames.PspA:
            {
                var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var value = $"t={t},v1={Hex(HashAlgorithmName.SHA256, current, t + ".", body)}";
                if (previous is not null)
                {
                    value += $",v1={Hex(HashAlgorithmName.SHA256, previous, t + ".", body)}";
                }

                return [new(PspAHeader, value)];
            }

            case ProviderNames.PspB:
            {
                var t = IsoSeconds(timestamp);
                var value = Convert.ToBase64String(Mac(HashAlgorithmName.SHA512, current, t + "\n", body));
                if (previous is not null)
                {
                    value += "," + Convert.ToBase64String(Mac(HashAlgorithmName.SHA512, previous, t + "\n", body));
                }

                return [new(PspBTimestampHeader, t), new(PspBSignatureHeader, value)];
            }

            case ProviderNames.Bank:
            {
                var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                return [new(BankHeader, $"keyId={keys.KeyId},ts={t},sig={Hex(HashAlgorithmName.SHA256, current, t + ":", body)}")];
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Not a simulated provider.");
        }
    }

    /// <summary>UTC to the second, as PSP B writes every date: <c>2026-12-03T10:00:00Z</c>.</summary>
    public static string IsoSeconds(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Key(string secret, bool wrong) => Encoding.UTF8.GetBytes(wrong ? WrongKeyPrefix + secret : secret);

    private static string Hex(HashAlgorithmName algorithm, byte[] key, string prefix, byte[] body) =>
        Convert.ToHexStringLower(Mac(algorithm, key, prefix, body));

    private static byte[] Mac(HashAlgorithmName algorithm, byte[] key, string prefix, byte[] body)
    {
        using var hmac = IncrementalHash.CreateHMAC(algorithm, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
