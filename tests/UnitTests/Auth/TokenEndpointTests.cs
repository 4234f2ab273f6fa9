using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Payments.Actors.ApiFront.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

public sealed class TokenEndpointTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private readonly AuthTestApp _app = fixture.App;
    private readonly CapturingLoggerProvider _logs = fixture.Logs;

    [Fact]
    public async Task ValidClientCredentialsAreIssuedASignedJwtForTheApiAudience()
    {
        using var response = await _app.RequestTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret, Scopes.PaymentsRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.InRange(body.RootElement.GetProperty("expires_in").GetInt32(), 3500, 3600);

        var token = new JsonWebToken(body.RootElement.GetProperty("access_token").GetString());
        Assert.Equal("RS256", token.Alg);
        Assert.False(string.IsNullOrEmpty(token.Kid));
        Assert.Equal(AuthOptions.IssuerDefault, token.Issuer);
        Assert.Equal([AuthOptions.AudienceDefault], token.Audiences);
        Assert.Equal(AuthTestApp.MerchantClientId, token.Subject);
        Assert.Equal(AuthTestApp.MerchantId, token.GetClaim(AuthClaims.MerchantId).Value);
        Assert.Equal(Scopes.PaymentsRead, token.GetClaim(AuthClaims.Scope).Value);
    }

    [Fact]
    public async Task RequestWithoutScopeIsGrantedAllScopesOfTheClient()
    {
        var token = new JsonWebToken(await _app.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret));

        var scopes = token.Claims.Where(claim => claim.Type == AuthClaims.Scope).SelectMany(claim => claim.Value.Split(' ')).Order(StringComparer.Ordinal);
        Assert.Equal([Scopes.PaymentsRead, Scopes.PaymentsWrite], scopes);
    }

    [Fact]
    public async Task ClientCredentialsInBasicAuthenticationHeaderAreIssuedAToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        var credentials = $"{Uri.EscapeDataString(AuthTestApp.ReaderClientId)}:{Uri.EscapeDataString(AuthTestApp.ReaderClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        using var response = await _app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OperatorClientTokenCarriesNoMerchantId()
    {
        var token = new JsonWebToken(await _app.GetAccessTokenAsync(AuthTestApp.OperatorClientId, AuthTestApp.OperatorClientSecret));

        Assert.False(token.TryGetClaim(AuthClaims.MerchantId, out _));
        Assert.Equal(Scopes.Operator, token.GetClaim(AuthClaims.Scope).Value);
    }

    [Fact]
    public async Task WrongSecretIsRejectedAsInvalidClient()
    {
        using var response = await _app.RequestTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.ReaderClientSecret);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task SecretThatIsAPrefixOfTheRealOneIsRejectedAsInvalidClient()
    {
        using var response = await _app.RequestTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret[..^1]);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task UnknownClientIsRejectedAsInvalidClient()
    {
        using var response = await _app.RequestTokenAsync("nobody", AuthTestApp.MerchantClientSecret);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task MissingSecretIsRejected()
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = AuthTestApp.MerchantClientId };

        using var response = await _app.Client.PostAsync("/connect/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);

        Assert.False(response.IsSuccessStatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopeTheClientDoesNotHoldIsRejectedAsInvalidScope()
    {
        using var response = await _app.RequestTokenAsync(AuthTestApp.ReaderClientId, AuthTestApp.ReaderClientSecret, $"{Scopes.PaymentsRead} {Scopes.PaymentsWrite}");

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task UnknownScopeIsRejectedAsInvalidScope()
    {
        using var response = await _app.RequestTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret, "payments:admin");

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task PasswordGrantIsRejected()
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = AuthTestApp.MerchantClientId,
            ["client_secret"] = AuthTestApp.MerchantClientSecret,
            ["username"] = "alice",
            ["password"] = "alice",
        };

        using var response = await _app.Client.PostAsync("/connect/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task LogsNeverContainClientSecretsOrAccessTokens()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret);
        using var rejected = await _app.RequestTokenAsync(AuthTestApp.ReaderClientId, AuthTestApp.MerchantClientSecret);
        using var used = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);
        using var garbage = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token[..^4] + "AAAA");

        Assert.NotEmpty(_logs.Lines);
        var parts = token.Split('.');
        Assert.All(_logs.Lines, line =>
        {
            Assert.DoesNotContain(AuthTestApp.MerchantClientSecret, line, StringComparison.Ordinal);
            Assert.DoesNotContain(AuthTestApp.ReaderClientSecret, line, StringComparison.Ordinal);
            Assert.DoesNotContain(parts[1], line, StringComparison.Ordinal);
            Assert.DoesNotContain(parts[2], line, StringComparison.Ordinal);
        });
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"expected {(int)status} {error}, got {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(json.RootElement.TryGetProperty("access_token", out _));
    }
}
