using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>The clients of the <c>Auth:Clients</c> section, and the one place client secrets are checked.</summary>
internal sealed class ConfiguredClients
{
    /// <summary>Compared against when the client id is unknown, so that answer takes as long as a wrong secret.</summary>
    private static readonly byte[] UnknownClientSecretHash = SHA256.HashData(RandomNumberGenerator.GetBytes(32));

    private readonly FrozenDictionary<string, ConfiguredClient> _clients;

    public ConfiguredClients(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = options.Value.Clients.ToFrozenDictionary(
            client => client.ClientId,
            client => new ConfiguredClient(
                client.ClientId,
                string.IsNullOrEmpty(client.MerchantId) ? null : client.MerchantId,
                client.Scopes.ToFrozenSet(StringComparer.Ordinal),
                HashSecret(client.ClientSecret)),
            StringComparer.Ordinal);
    }

    public ConfiguredClient? Find(string? clientId) =>
        clientId is not null && _clients.TryGetValue(clientId, out var client) ? client : null;

    /// <summary>
    /// Returns the client when <paramref name="clientSecret"/> is its secret. Both sides are hashed first so the
    /// constant-time comparison always sees equal lengths and leaks neither the secret's content nor its length.
    /// </summary>
    public ConfiguredClient? Authenticate(string? clientId, string? clientSecret)
    {
        var presented = HashSecret(clientSecret ?? "");
        var client = Find(clientId);
        var matches = CryptographicOperations.FixedTimeEquals(presented, client?.SecretHash ?? UnknownClientSecretHash);
        return matches && client is not null && !string.IsNullOrEmpty(clientSecret) ? client : null;
    }

    private static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
