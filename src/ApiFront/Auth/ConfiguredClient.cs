using System.Collections.Frozen;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>A client of the embedded token server as checked at run time: its secret only as a SHA-256 hash.</summary>
internal sealed class ConfiguredClient(string clientId, string? merchantId, FrozenSet<string> scopes, byte[] secretHash)
{
    public string ClientId { get; } = clientId;

    public string? MerchantId { get; } = merchantId;

    public FrozenSet<string> Scopes { get; } = scopes;

    public byte[] SecretHash { get; } = secretHash;

    public override string ToString() => ClientId;
}
