using System.Net;
using Payments.Actors.Grains.WebhookEndpoints;
using Xunit;

namespace Payments.Actors.UnitTests.WebhooksOut;

/// <summary>SSRF rules. No test opens a connection: names resolve through a scripted resolver, and refusals happen before any connect.</summary>
public sealed class WebhookUrlPolicyTests
{
    private static readonly WebhookUrlPolicy Production = new(allowHttp: false, allowPrivateNetworks: false, Resolver(new()));

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2001:db8::1")]
    public void InternalAddressesAreRefused(string address) => Assert.True(Production.Refuses(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.4.4")]
    public void PublicAddressesAreAllowed(string address) => Assert.False(Production.Refuses(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://hooks.example.com/x", "https")]
    [InlineData("ftp://hooks.example.com/x", "https")]
    [InlineData("relative/path", "absolute")]
    [InlineData("https://user:pw@hooks.example.com/x", "user information")]
    [InlineData("https://10.1.2.3/x", "private")]
    [InlineData("https://[::1]:8443/x", "private")]
    [InlineData("https://[fe80::1]/x", "private")]
    [InlineData("https://[::ffff:192.168.0.1]/x", "private")]
    [InlineData("https://localhost/x", "this machine")]
    public async Task AUrlThatBreaksARuleIsRefusedWithTheRuleItBreaks(string url, string because) =>
        Assert.Contains(because, await Production.CheckAsync(url, TestContext.Current.CancellationToken), StringComparison.Ordinal);

    [Fact]
    public async Task ANameThatResolvesToAnyPrivateAddressIsRefusedAtRegistration()
    {
        var policy = new WebhookUrlPolicy(false, false, Resolver(new()
        {
            ["internal.example.com"] = [IPAddress.Parse("10.20.30.40")],
            ["mixed.example.com"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("fd12::1")],
            ["public.example.com"] = [IPAddress.Parse("93.184.216.34")],
        }));
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Contains("10.20.30.40", await policy.CheckAsync("https://internal.example.com/hooks", cancellationToken), StringComparison.Ordinal);
        Assert.Contains("fd12::1", await policy.CheckAsync("https://mixed.example.com/hooks", cancellationToken), StringComparison.Ordinal);
        Assert.Contains("does not resolve", await policy.CheckAsync("https://nowhere.example.com/hooks", cancellationToken), StringComparison.Ordinal);
        Assert.Null(await policy.CheckAsync("https://public.example.com/hooks", cancellationToken));
    }

    [Fact]
    public async Task ANameRepointedAtAPrivateAddressAfterRegistrationIsRefusedAtConnectTimeWithoutConnecting()
    {
        var answers = new Dictionary<string, IPAddress[]> { ["rebind.example.com"] = [IPAddress.Parse("93.184.216.34")] };
        var policy = new WebhookUrlPolicy(false, false, Resolver(answers));
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.Null(await policy.CheckAsync("https://rebind.example.com/hooks", cancellationToken));

        answers["rebind.example.com"] = [IPAddress.Parse("169.254.169.254")];

        var refused = await Assert.ThrowsAsync<HttpRequestException>(async () =>
            await WebhookHttp.ConnectAsync(policy, new DnsEndPoint("rebind.example.com", 443), cancellationToken));
        Assert.Contains("169.254.169.254", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentSettingsAllowHttpAndLoopbackReceivers()
    {
        var development = new WebhookUrlPolicy(allowHttp: true, allowPrivateNetworks: true, Resolver(new() { ["localhost"] = [IPAddress.Loopback] }));
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Null(await development.CheckAsync("http://127.0.0.1:5005/hooks", cancellationToken));
        Assert.Null(await development.CheckAsync("http://localhost:5005/hooks", cancellationToken));
        Assert.Contains("http or https", await development.CheckAsync("ftp://127.0.0.1/x", cancellationToken), StringComparison.Ordinal);
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(Dictionary<string, IPAddress[]> answers) =>
        (host, _) => answers.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
}
