using Xunit;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;

namespace Payments.Actors.UnitTests.Psp;

public sealed class PspRouterTests
{
    private static PspOptions Options(params PspRoutingRule[] rules) => new()
    {
        Providers =
        {
            ["psp-a"] = new PspProviderOptions { BaseUrl = new Uri("http://a") },
            ["psp-b"] = new PspProviderOptions { BaseUrl = new Uri("http://b") },
        },
        Routing = new PspRoutingOptions { Rules = [.. rules] },
    };

    private static readonly Dictionary<string, double> NoSettings = [];

    private static PspHealth Healthy(string psp) => new(psp, true, "Closed", 1, 50, 100, 100, 0, 0, 0, 0, NoSettings);

    [Fact]
    public void WithoutRulesTheDefaultOrderIsUsed()
    {
        Assert.Equal(["psp-a", "psp-b"], PspRouter.Order(Options(), "m", "EUR", 100, Healthy));
    }

    [Fact]
    public void TheFirstMatchingRuleDecidesByCurrencyAmountAndMerchant()
    {
        var options = Options(
            new PspRoutingRule { Currency = "GBP", Psps = ["psp-b"] },
            new PspRoutingRule { MerchantId = "m2", AmountMinorMin = 1000, Psps = ["psp-b", "psp-a"] });

        Assert.Equal(["psp-b"], PspRouter.Order(options, "m", "GBP", 100, Healthy));
        Assert.Equal(["psp-b", "psp-a"], PspRouter.Order(options, "m2", "EUR", 5000, Healthy));
        Assert.Equal(["psp-a", "psp-b"], PspRouter.Order(options, "m2", "EUR", 999, Healthy));
    }

    [Fact]
    public void ADisabledPspIsNeverOffered()
    {
        var options = Options();
        options.Providers["psp-a"].Enabled = false;

        Assert.Equal(["psp-b"], PspRouter.Order(options, "m", "EUR", 100, Healthy));
    }

    [Fact]
    public void ALowerRoutingPriorityGoesFirstAmongHealthyPspsButNeverAheadOfHealth()
    {
        var options = Options();
        var effective = new Dictionary<string, PspProviderOptions>
        {
            ["psp-a"] = options.Providers["psp-a"],
            ["psp-b"] = PspSettingFields.Apply(options.Providers["psp-b"], [new(PspSettingNames.RoutingPriority, 10)]),
        };
        PspHealth BrokenB(string psp) => psp == "psp-b" ? new PspHealth(psp, true, "Open", 1, 50, 50, 50, 0, 0, 0, 0, NoSettings) : Healthy(psp);

        Assert.Equal(["psp-b", "psp-a"], PspRouter.Order(options, "m", "EUR", 100, Healthy, p => effective[p]));
        Assert.Equal(["psp-a", "psp-b"], PspRouter.Order(options, "m", "EUR", 100, BrokenB, p => effective[p]));
        Assert.Equal(["psp-a", "psp-b"], PspRouter.Order(options, "m", "EUR", 100, Healthy));
    }

    [Theory]
    [InlineData("Open", 1.0, 50)]
    [InlineData("Closed", 0.2, 50)]
    [InlineData("Closed", 1.0, 2900)]
    public void AnUnhealthyPspMovesBehindAHealthyOne(string breaker, double successRate, double p95)
    {
        PspHealth Health(string psp) => psp == "psp-a" ? new PspHealth(psp, true, breaker, successRate, p95, 50, 50, 0, 0, 0, 0, NoSettings) : Healthy(psp);

        Assert.Equal(["psp-b", "psp-a"], PspRouter.Order(Options(), "m", "EUR", 100, Health));
    }

    [Fact]
    public void AHalfOpenPspKeepsItsPlaceSoTheProbeHappens()
    {
        PspHealth Health(string psp) => psp == "psp-a" ? new PspHealth(psp, true, "HalfOpen", 0, 3000, 50, 50, 50, 0, 0, 0, NoSettings) : Healthy(psp);

        Assert.Equal(["psp-a", "psp-b"], PspRouter.Order(Options(), "m", "EUR", 100, Health));
    }
}
