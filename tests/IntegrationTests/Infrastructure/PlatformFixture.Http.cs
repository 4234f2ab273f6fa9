using System.Net.Http.Headers;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>The API as a merchant, a reader or an operator calls it: client-credential tokens, cached per client, and requests.</summary>
public sealed partial class PlatformFixture
{
    public async Task<string> TokenAsync(string clientId)
    {
        if (_tokens.TryGetValue(clientId, out var cached))
        {
            return cached;
        }

        using var response = await Http.PostAsync($"{ApiUrl}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = _secrets[clientId],
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token for {clientId}: {(int)response.StatusCode} {body}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        _tokens[clientId] = token;
        return token;
    }

    /// <summary>The client's secret, as an integration written against the API holds it.</summary>
    public string SecretOf(string clientId) => _secrets[clientId];

    /// <summary>A token request as it goes on the wire (not cached): the client's own secret unless <paramref name="secret"/> says otherwise.</summary>
    public async Task<ApiResponse> RequestTokenAsync(string clientId, string? secret = null)
    {
        using var response = await Http.PostAsync($"{ApiUrl}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret ?? _secrets[clientId],
        }));
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), Replayed: false);
    }

    /// <summary>Sends a request as <paramref name="clientId"/> (null: no token). JSON bodies are sent as given, byte for byte.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null, string? idempotencyKey = null,
        string? clientId = MerchantA, string? baseUrl = null)
    {
        using var request = new HttpRequestMessage(method, $"{baseUrl ?? ApiUrl}{path}");
        if (clientId is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(clientId));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true"));
    }

    public Task<ApiResponse> PostAsync(string path, string? json, string? idempotencyKey = null, string? clientId = MerchantA) =>
        SendAsync(HttpMethod.Post, path, json, idempotencyKey ?? Guid.NewGuid().ToString(), clientId);

    public Task<ApiResponse> GetAsync(string path, string? clientId = MerchantA) => SendAsync(HttpMethod.Get, path, clientId: clientId);

    /// <summary>The API's clients, as the silo reads them from <c>Auth:Clients</c>: two merchants, a read-only client and an operator.</summary>
    private void AddAuthClients(Dictionary<string, string> environment)
    {
        var clients = new (string Id, string? Merchant, string Scopes)[]
        {
            (MerchantA, MerchantA, "payments:read payments:write"),
            (MerchantB, MerchantB, "payments:read payments:write"),
            (ReaderA, MerchantA, "payments:read"),
            (Operator, null, "operator"),
        };
        for (var i = 0; i < clients.Length; i++)
        {
            var (id, merchant, scopes) = clients[i];
            environment[$"Auth__Clients__{i}__ClientId"] = id;
            environment[$"Auth__Clients__{i}__ClientSecret"] = _secrets[id];
            if (merchant is not null)
            {
                environment[$"Auth__Clients__{i}__MerchantId"] = merchant;
            }

            var scopeList = scopes.Split(' ');
            for (var s = 0; s < scopeList.Length; s++)
            {
                environment[$"Auth__Clients__{i}__Scopes__{s}"] = scopeList[s];
            }
        }
    }
}
