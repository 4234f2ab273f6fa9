using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Actors.ApiFront.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

/// <summary>
/// A real Kestrel host on a loopback port with only the auth wiring and three probe endpoints, the way
/// ApiFront's Program wires it: AddPaymentsAuth, UseAuthentication, UseAuthorization.
/// </summary>
internal sealed class AuthTestApp : IAsyncDisposable
{
    public const string MerchantClientId = "merchant-a-client";
    public const string MerchantClientSecret = "merchant-a-secret-0123456789";
    public const string MerchantId = "mer_a";
    public const string ReaderClientId = "reader-b-client";
    public const string ReaderClientSecret = "reader-b-secret-0123456789";
    public const string ReaderMerchantId = "mer_b";
    public const string OperatorClientId = "operator-client";
    public const string OperatorClientSecret = "operator-secret-0123456789";

    private readonly WebApplication _app;

    private AuthTestApp(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Dictionary<string, string?> DefaultSettings(string signingKeyPath) => new()
    {
        ["Auth:SigningKeyPath"] = signingKeyPath,
        ["Auth:Clients:0:ClientId"] = MerchantClientId,
        ["Auth:Clients:0:ClientSecret"] = MerchantClientSecret,
        ["Auth:Clients:0:MerchantId"] = MerchantId,
        ["Auth:Clients:0:Scopes:0"] = Scopes.PaymentsRead,
        ["Auth:Clients:0:Scopes:1"] = Scopes.PaymentsWrite,
        ["Auth:Clients:1:ClientId"] = ReaderClientId,
        ["Auth:Clients:1:ClientSecret"] = ReaderClientSecret,
        ["Auth:Clients:1:MerchantId"] = ReaderMerchantId,
        ["Auth:Clients:1:Scopes:0"] = Scopes.PaymentsRead,
        ["Auth:Clients:2:ClientId"] = OperatorClientId,
        ["Auth:Clients:2:ClientSecret"] = OperatorClientSecret,
        ["Auth:Clients:2:Scopes:0"] = Scopes.Operator,
    };

    public static async Task<AuthTestApp> StartAsync(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        }

        builder.AddPaymentsAuth();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/v1/whoami", (ClaimsPrincipal user) => user.GetMerchantId() ?? "")
            .RequireAuthorization(Policies.PaymentsRead);
        app.MapPost("/v1/writes", () => TypedResults.NoContent())
            .RequireAuthorization(Policies.PaymentsWrite);
        app.MapGet("/v1/operator", (ClaimsPrincipal user) => user.FindFirst(AuthClaims.Subject)?.Value ?? "")
            .RequireAuthorization(Policies.Operator);

        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
        return new AuthTestApp(app, client);
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string clientId, string clientSecret, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return Client.PostAsync("/connect/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    public async Task<string> GetAccessTokenAsync(string clientId, string clientSecret, string? scope = null)
    {
        using var response = await RequestTokenAsync(clientId, clientSecret, scope);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"token request for {clientId} failed with {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accessToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
