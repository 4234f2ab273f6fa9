using System.Security.Claims;
using Payments.Actors.ApiFront.Auth;
using Xunit;

namespace Payments.Actors.UnitTests.Auth;

public sealed class ClaimsPrincipalExtensionsTests
{
    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "test"));

    [Fact]
    public void SpaceSeparatedScopeClaimGrantsEachScope()
    {
        var user = User((AuthClaims.Scope, "openid payments:read  payments:write"));

        Assert.True(user.HasScope(Scopes.PaymentsRead));
        Assert.True(user.HasScope(Scopes.PaymentsWrite));
        Assert.False(user.HasScope(Scopes.Operator));
    }

    [Fact]
    public void SeveralScopeAndScpClaimsGrantEachScope()
    {
        var user = User((AuthClaims.Scope, Scopes.PaymentsRead), (AuthClaims.Scp, Scopes.Operator));

        Assert.True(user.HasScope(Scopes.PaymentsRead));
        Assert.True(user.HasScope(Scopes.Operator));
        Assert.False(user.HasScope(Scopes.PaymentsWrite));
    }

    [Fact]
    public void ScopeThatOnlySharesAPrefixIsNotGranted()
    {
        var user = User((AuthClaims.Scope, "payments:readonly payments"));

        Assert.False(user.HasScope(Scopes.PaymentsRead));
    }

    [Fact]
    public void ScopeInAnotherClaimTypeIsNotGranted()
    {
        var user = User(("roles", Scopes.PaymentsRead));

        Assert.False(user.HasScope(Scopes.PaymentsRead));
    }

    [Fact]
    public void SingleMerchantIdClaimIsReturned() =>
        Assert.Equal("mer_a", User((AuthClaims.MerchantId, "mer_a")).GetMerchantId());

    [Fact]
    public void MissingMerchantIdIsNull() => Assert.Null(User((AuthClaims.Subject, "c")).GetMerchantId());

    [Fact]
    public void TwoMerchantIdClaimsAreTreatedAsNone() =>
        Assert.Null(User((AuthClaims.MerchantId, "mer_a"), (AuthClaims.MerchantId, "mer_b")).GetMerchantId());

    [Fact]
    public void BlankMerchantIdIsNull() => Assert.Null(User((AuthClaims.MerchantId, " ")).GetMerchantId());
}
