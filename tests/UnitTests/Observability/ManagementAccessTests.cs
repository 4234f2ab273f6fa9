using System.Net;
using Payments.Actors.ServiceDefaults;
using Xunit;

namespace Payments.Actors.UnitTests.Observability;

public sealed class ManagementAccessTests
{
    private static readonly IPNetwork[] Defaults = [.. ManagementAccess.DefaultNetworks.Select(IPNetwork.Parse)];

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.10.0.3")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void LoopbackCallersReachTheManagementEndpointsByDefault(string caller)
    {
        Assert.True(ManagementAccess.IsAllowed(IPAddress.Parse(caller), Defaults));
    }

    [Theory]
    [InlineData("10.0.0.7")]
    [InlineData("203.0.113.9")]
    [InlineData("::ffff:203.0.113.9")]
    [InlineData("2001:db8::1")]
    public void OtherCallersDoNotByDefault(string caller)
    {
        Assert.False(ManagementAccess.IsAllowed(IPAddress.Parse(caller), Defaults));
    }

    [Fact]
    public void AConfiguredNetworkLetsItsCallersIn()
    {
        IPNetwork[] networks = [IPNetwork.Parse("10.0.0.0/8")];

        Assert.True(ManagementAccess.IsAllowed(IPAddress.Parse("10.1.2.3"), networks));
        Assert.False(ManagementAccess.IsAllowed(IPAddress.Parse("127.0.0.1"), networks));
        Assert.False(ManagementAccess.IsAllowed(null, networks));
    }
}
