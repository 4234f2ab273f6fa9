using Xunit;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;

namespace Payments.Actors.UnitTests.Psp;

public sealed class PspResilienceRulesTests
{
    [Theory]
    [InlineData(0, 0.0, 200)]
    [InlineData(0, 0.999, 299.9)]
    [InlineData(1, 0.0, 400)]
    [InlineData(1, 0.5, 450)]
    public void BackoffIsTwoHundredMillisecondsDoubledPlusUpToAHundredOfJitter(int retry, double random, double expectedMs)
    {
        var delay = PspBackoff.Delay(retry, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100), random);

        Assert.Equal(expectedMs, delay.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void TheSeedDefaultsPassValidationAndABudgetAboveEightSecondsDoesNot()
    {
        var valid = new PspOptions { Providers = { ["psp-a"] = new PspProviderOptions { BaseUrl = new Uri("http://localhost") } } };
        Assert.True(new PspOptionsValidator().Validate(null, valid).Succeeded);

        var invalid = new PspOptions
        {
            Providers = { ["psp-a"] = new PspProviderOptions { BaseUrl = new Uri("http://localhost"), AdapterBudgetTotal = TimeSpan.FromSeconds(9), BreakerFailureRatio = 0, BulkheadConcurrencyMax = 0 } },
        };
        var result = new PspOptionsValidator().Validate(null, invalid);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Failures!, f => f.Contains("AdapterBudgetTotal", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("BreakerFailureRatio", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("BulkheadConcurrencyMax", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyRefusalsThatProveNothingWasSentAllowFailover()
    {
        Assert.True(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Rejected, null, PspErrorCodes.CircuitOpen, null)));
        Assert.True(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Rejected, null, PspErrorCodes.BulkheadFull, null)));
        Assert.True(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, null)));
        Assert.False(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Unknown, null, null, "timeout")));
        Assert.False(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Declined, null, "DO_NOT_HONOR", null)));
        Assert.False(PspErrorCodes.AllowsFailover(new PspResult(PspOutcome.Rejected, null, "INVALID_CARD", null)));
    }
}
