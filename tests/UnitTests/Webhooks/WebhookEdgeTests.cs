using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Apis.Webhooks;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>
/// The edge's settings: which providers are served, who may post for them, and what a refusal's audit keeps. The
/// allowlist is tested here with made-up remote addresses; the integration tests add one real refused source (127.0.0.2).
/// </summary>
public sealed class WebhookEdgeTests
{
    private static readonly IWebhookSignatureScheme[] Schemes = [new PspASignature(), new PspBSignature(), new BankSignature()];

    [Fact]
    public void AProviderWithoutNetworksMayPostFromThisMachineOnly()
    {
        var edge = Edge(new WebhookOptions { Providers = { ["psp-a"] = new() { Secrets = ["s"] } } });
        var pspA = edge.Find("psp-a")!;

        Assert.True(pspA.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.True(pspA.Allows(IPAddress.Parse("::1")));
        Assert.True(pspA.Allows(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(pspA.Allows(IPAddress.Parse("10.0.0.7")));
        Assert.False(pspA.Allows(IPAddress.Parse("203.0.113.9")));
        Assert.False(pspA.Allows(null));
    }

    [Fact]
    public void AProviderMayPostOnlyFromItsConfiguredNetworks()
    {
        var edge = Edge(new WebhookOptions { Providers = { ["psp-b"] = new() { Secrets = ["s"], AllowedNetworks = ["203.0.113.0/24", "2001:db8::/32"] } } });
        var pspB = edge.Find("psp-b")!;

        Assert.True(pspB.Allows(IPAddress.Parse("203.0.113.77")));
        Assert.True(pspB.Allows(IPAddress.Parse("2001:db8::5")));
        Assert.False(pspB.Allows(IPAddress.Parse("203.0.114.1")));
        Assert.False(pspB.Allows(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public void AProviderIsServedOnlyWhenItIsKnownAndHasASecret()
    {
        var edge = Edge(new WebhookOptions { Providers = { ["psp-a"] = new() { Secrets = ["s"] }, ["psp-b"] = new() } });

        Assert.NotNull(edge.Find("psp-a"));
        Assert.Null(edge.Find("psp-b"));
        Assert.Null(edge.Find("bank"));
        Assert.Null(edge.Find("psp-z"));
    }

    [Fact]
    public void ConfigurationThatCannotWorkIsRefusedAtStart()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions
        {
            TimestampToleranceSeconds = 0,
            Providers =
            {
                ["psp-a"] = new() { Secrets = ["s"], AllowedNetworks = ["10.0.0.0/33"] },
                ["bank"] = new() { Secrets = ["no-key-id"] },
                ["psp-z"] = new() { Secrets = ["s"] },
            },
        });

        Assert.True(result.Failed);
        Assert.Contains("TimestampToleranceSeconds", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/33", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("<key id>:<secret>", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("psp-z", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions
        {
            Providers = { ["bank"] = new() { Secrets = ["k2:new", "k1:old"], AllowedNetworks = ["198.51.100.0/24"] } },
        }).Succeeded);
    }

    [Fact]
    public void ARefusalsAuditKeepsTheSignatureHeadersButNoCredentials()
    {
        var headers = new HeaderDictionary
        {
            ["X-Request-Signature"] = "t=1,v1=abc",
            ["Authorization"] = "Bearer eyJ-secret",
            ["Cookie"] = "session=1",
            ["X-Api-Key"] = "k",
            ["X-Webhook-Secret"] = "s",
            ["X-Auth-Token"] = "t",
            ["User-Agent"] = new string('u', 1000),
        };

        var kept = WebhookAuditHeaders.Of(headers);

        Assert.Equal(["user-agent", "x-request-signature"], kept.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("t=1,v1=abc", kept["x-request-signature"]);
        Assert.Equal(256, kept["user-agent"].Length);
    }

    private static WebhookEdge Edge(WebhookOptions options) => new(Options.Create(options), Schemes);
}
