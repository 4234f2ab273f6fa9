using Payments.Actors.Events;
using Payments.Actors.Grains.WebhookEndpoints;
using Xunit;

namespace Payments.Actors.UnitTests.WebhooksOut;

public sealed class WebhookScheduleTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    [Fact]
    public void TheRetryCeilingStartsAtThirtySecondsDoublesAndStopsAtAnHour()
    {
        var ceilings = Enumerable.Range(1, 10).Select(n => WebhookBackoff.Ceiling(n, Base, Max).TotalSeconds).ToArray();

        Assert.Equal(new double[] { 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600 }, ceilings);
        Assert.Equal(Max, WebhookBackoff.Ceiling(500, Base, Max));
    }

    [Fact]
    public void AJitteredDelayIsAnywhereFromZeroToTheCeiling()
    {
        Assert.Equal(TimeSpan.Zero, WebhookBackoff.Delay(3, Base, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(60), WebhookBackoff.Delay(3, Base, Max, 0.5));
        Assert.All(Enumerable.Range(0, 200), i =>
            Assert.InRange(WebhookBackoff.Delay(1 + (i % 12), Base, Max, Random.Shared.NextDouble()), TimeSpan.Zero, WebhookBackoff.Ceiling(1 + (i % 12), Base, Max)));
    }

    [Fact]
    public void ThreeDaysOfRetriesAtTheCeilingTakeAboutEightyAttempts()
    {
        var elapsed = TimeSpan.Zero;
        var attempts = 0;
        while (elapsed < TimeSpan.FromDays(3))
        {
            elapsed += WebhookBackoff.Ceiling(++attempts, Base, Max);
        }

        Assert.InRange(attempts, 70, 80);
    }

    [Theory]
    [InlineData("payment.captured", "payment.captured", true)]
    [InlineData("payment.*", "payment.refunded", true)]
    [InlineData("*", "wallet.cashed_in", true)]
    [InlineData("wallet.*", "payment.captured", false)]
    [InlineData("payment.captured", "payment.authorized", false)]
    public void AnEnabledEventMatchesItsTypeItsFamilyOrEverything(string pattern, string type, bool matches) =>
        Assert.Equal(matches, MerchantEventTypes.Matches(pattern, type));

    [Theory]
    [InlineData("payment.captured", true)]
    [InlineData("wallet.hold_captured", true)]
    [InlineData("payment.*", true)]
    [InlineData("*", true)]
    [InlineData("payment.capture", false)]
    [InlineData("dispute.*", true)]
    [InlineData("refund.*", false)]
    [InlineData("payment", false)]
    [InlineData("payment.**", false)]
    [InlineData("", false)]
    public void OnlyKnownTypesAndFamiliesArePatterns(string pattern, bool known) => Assert.Equal(known, MerchantEventTypes.IsPattern(pattern));
}
