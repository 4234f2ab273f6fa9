using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.LoadGen;

/// <summary>OAuth2 client credentials against the platform's token endpoint; each virtual user calls it once.</summary>
public static class TokenClient
{
    public static async Task<string> FetchAsync(HttpClient http, LoadOptions options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "/connect/token"));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        request.Content = new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("scope", options.Scope),
        ]);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body of a failed token request carries no secret, only the error code.
            throw new InvalidOperationException($"Token request failed: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException("Token response had no access_token.");
    }

    /// <summary>The demo secret: --client-secret, else MERCHANT_A_CLIENT_SECRET, else .data/secrets.env of the checkout.</summary>
    public static string? FindSecret(string clientId)
    {
        var variable = clientId.Replace('-', '_').ToUpperInvariant() + "_CLIENT_SECRET";
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (RepoPaths.Root is not { } root)
        {
            return null;
        }

        var file = Path.Combine(root, ".data", "secrets.env");
        if (!File.Exists(file))
        {
            return null;
        }

        return File.ReadLines(file)
            .Where(line => line.StartsWith(variable + "=", StringComparison.Ordinal))
            .Select(line => line[(variable.Length + 1)..])
            .FirstOrDefault();
    }
}
