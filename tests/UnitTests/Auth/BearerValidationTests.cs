using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge.Errors;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

public sealed class BearerValidationTests(AuthAppFixture fixture) : IClassFixture<AuthAppFixture>
{
    private readonly AuthTestApp _app = fixture.App;

    [Fact]
    public async Task IssuedTokenOnReadEndpointReturnsTheMerchantIdFromTheToken()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret, Scopes.PaymentsRead);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AuthTestApp.MerchantId, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task IssuedTokenWithWriteScopeOnWriteEndpointIsAllowed()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret, Scopes.PaymentsWrite);

        using var response = await _app.SendAsync(HttpMethod.Post, "/v1/writes", token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task RequestWithoutTokenIsUnauthorizedWithTheErrorModel()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", accessToken: null);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task GarbageTokenIsUnauthorizedWithTheErrorModel()
    {
        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", "not-a-jwt");

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithTamperedPayloadIsUnauthorized()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.ReaderClientId, AuthTestApp.ReaderClientSecret);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace(AuthTestApp.ReaderMerchantId, AuthTestApp.MerchantId, StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", tampered);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task TokenSignedByAnotherKeyIsUnauthorized()
    {
        using var rsa = RSA.Create(2048);
        var token = CreateToken(new RsaSecurityKey(rsa) { KeyId = "other" }, AuthOptions.AudienceDefault, DateTime.UtcNow.AddMinutes(5), withMerchant: true);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task ExpiredTokenIsUnauthorized()
    {
        var token = CreateToken(SigningKey(), AuthOptions.AudienceDefault, DateTime.UtcNow.AddMinutes(-5), withMerchant: true);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        var error = await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Contains("expired", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenForAnotherAudienceIsUnauthorized()
    {
        var token = CreateToken(SigningKey(), "some-other-api", DateTime.UtcNow.AddMinutes(5), withMerchant: true);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task ReadOnlyTokenOnWriteEndpointIsForbidden()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.ReaderClientId, AuthTestApp.ReaderClientSecret, Scopes.PaymentsRead);

        using var response = await _app.SendAsync(HttpMethod.Post, "/v1/writes", token);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task TokenWithScopeButWithoutMerchantIdOnMerchantEndpointIsForbidden()
    {
        var token = CreateToken(SigningKey(), AuthOptions.AudienceDefault, DateTime.UtcNow.AddMinutes(5), withMerchant: false);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task OperatorTokenOnMerchantEndpointIsForbidden()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.OperatorClientId, AuthTestApp.OperatorClientSecret);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/whoami", token);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task OperatorTokenOnOperatorEndpointIsAllowed()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.OperatorClientId, AuthTestApp.OperatorClientSecret);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/operator", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AuthTestApp.OperatorClientId, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MerchantTokenOnOperatorEndpointIsForbidden()
    {
        var token = await _app.GetAccessTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret);

        using var response = await _app.SendAsync(HttpMethod.Get, "/v1/operator", token);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    private RsaSecurityKey SigningKey() => _app.Services.GetRequiredService<AuthSigningKey>().Key;

    private static string CreateToken(SecurityKey key, string audience, DateTime expires, bool withMerchant)
    {
        var claims = new Dictionary<string, object>
        {
            [AuthClaims.Subject] = "crafted-client",
            [AuthClaims.Scope] = $"{Scopes.PaymentsRead} {Scopes.PaymentsWrite}",
        };
        if (withMerchant)
        {
            claims[AuthClaims.MerchantId] = AuthTestApp.MerchantId;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.IssuerDefault,
            Audience = audience,
            Claims = claims,
            IssuedAt = expires.AddMinutes(-10),
            NotBefore = expires.AddMinutes(-10),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"expected {(int)status} {errorCode}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement.Clone();
        Assert.Equal(errorCode, root.GetProperty("error_code").GetString());
        Assert.False(root.GetProperty("retryable").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("correlation_id").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        return root;
    }
}
