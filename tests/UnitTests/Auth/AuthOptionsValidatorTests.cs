using System.Net;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

public sealed class AuthOptionsValidatorTests
{
    private static AuthOptions ValidEmbedded() => new()
    {
        SigningKeyPath = "/tmp/unused.pem",
        Clients =
        [
            new AuthClientOptions { ClientId = "a", ClientSecret = "0123456789abcdef", MerchantId = "mer_a", Scopes = [Scopes.PaymentsRead] },
            new AuthClientOptions { ClientId = "ops", ClientSecret = "0123456789abcdef", Scopes = [Scopes.Operator] },
        ],
    };

    private static ValidateOptionsResult Validate(AuthOptions options) => new AuthOptionsValidator().Validate(null, options);

    [Fact]
    public void DefaultsWithWellFormedClientsAreValid() => Assert.True(Validate(ValidEmbedded()).Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("not a uri")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("http://127.0.0.1:8080/?tenant=x")]
    public void MalformedIssuerIsInvalid(string issuer)
    {
        var options = ValidEmbedded();
        options.Issuer = issuer;

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void EmptyAudienceIsInvalid()
    {
        var options = ValidEmbedded();
        options.Audience = " ";

        Assert.True(Validate(options).Failed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(25 * 3600)]
    public void AccessTokenLifetimeOutsideItsLimitsIsInvalid(int seconds)
    {
        var options = ValidEmbedded();
        options.AccessTokenLifetime = TimeSpan.FromSeconds(seconds);

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void ShortClientSecretIsInvalidAndTheMessageDoesNotContainIt()
    {
        var options = ValidEmbedded();
        options.Clients[0].ClientSecret = "short-secret";

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.DoesNotContain("short-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateClientIdIsInvalid()
    {
        var options = ValidEmbedded();
        options.Clients[1].ClientId = options.Clients[0].ClientId;

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void UnknownScopeIsInvalid()
    {
        var options = ValidEmbedded();
        options.Clients[0].Scopes = ["payments:admin"];

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void ClientWithoutScopesIsInvalid()
    {
        var options = ValidEmbedded();
        options.Clients[0].Scopes = [];

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void PaymentsScopeWithoutMerchantIdIsInvalid()
    {
        var options = ValidEmbedded();
        options.Clients[1].Scopes = [Scopes.Operator, Scopes.PaymentsRead];

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void HttpAuthorityWhileHttpsMetadataIsRequiredIsInvalid()
    {
        var options = new AuthOptions { Authority = "http://keycloak.local/realms/payments" };

        Assert.True(Validate(options).Failed);
    }

    [Fact]
    public void HttpsAuthorityIsValidAndIgnoresEmbeddedSettings()
    {
        var options = new AuthOptions { Authority = "https://keycloak.example/realms/payments", Issuer = "" };

        Assert.True(Validate(options).Succeeded);
    }

    [Fact]
    public async Task InvalidConfigurationStopsTheHostAtStartUp()
    {
        using var directory = new TempDirectory();
        var settings = AuthTestApp.DefaultSettings(directory.SigningKeyPath);
        settings["Auth:Clients:0:ClientSecret"] = "short";

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => AuthTestApp.StartAsync(settings));

        Assert.Contains("Auth:Clients:0:ClientSecret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorityModeServesNoTokenEndpointAndCreatesNoKey()
    {
        using var directory = new TempDirectory();
        var settings = AuthTestApp.DefaultSettings(directory.SigningKeyPath);
        settings["Auth:Authority"] = "https://keycloak.invalid/realms/payments";

        await using var app = await AuthTestApp.StartAsync(settings);
        using var token = await app.RequestTokenAsync(AuthTestApp.MerchantClientId, AuthTestApp.MerchantClientSecret);
        using var anonymous = await app.SendAsync(HttpMethod.Get, "/v1/whoami", accessToken: null);

        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.False(File.Exists(directory.SigningKeyPath));
    }
}
