using Payments.Actors.LoadGen;
using Xunit;

namespace Payments.Actors.UnitTests.LoadGen;

public sealed class SloGatesTests
{
    private static readonly SloGates AllGates = new(P95MsMax: 500, P99MsMax: 1200, ErrorRateMax: 0.001, OkPerSecondMin: 300);

    [Fact]
    public void NoGateGivenChecksNothing()
    {
        var gates = new SloGates();

        Assert.False(gates.Any);
        Assert.Empty(gates.Evaluate(ok: 0, errors: 10, p95Ms: 9000, p99Ms: 9000, okPerSecond: 0));
    }

    [Fact]
    public void ARunWithinEveryGatePassesThemAll()
    {
        var verdicts = AllGates.Evaluate(ok: 100_000, errors: 10, p95Ms: 500, p99Ms: 1200, okPerSecond: 300);

        Assert.Equal(["--slo-p95-ms", "--slo-p99-ms", "--slo-error-rate", "--slo-min-rps"], verdicts.Select(v => v.Option));
        Assert.All(verdicts, v => Assert.True(v.Passed, v.ToString()));
    }

    [Theory]
    [InlineData(100_000, 0, 501, 900, 400, "--slo-p95-ms")]
    [InlineData(100_000, 0, 400, 1200.1, 400, "--slo-p99-ms")]
    [InlineData(100_000, 101, 400, 900, 400, "--slo-error-rate")]
    [InlineData(100_000, 0, 400, 900, 299.9, "--slo-min-rps")]
    public void EachGateFailsAloneWhenItsMeasureIsMissed(long ok, long errors, double p95, double p99, double okPerSecond, string failing)
    {
        var verdicts = AllGates.Evaluate(ok, errors, p95, p99, okPerSecond);

        Assert.Equal([failing], verdicts.Where(v => !v.Passed).Select(v => v.Option));
    }

    [Fact]
    public void AFailedGateSaysWhatWasRequiredAndMeasured()
    {
        var verdict = Assert.Single(new SloGates(ErrorRateMax: 0.001).Evaluate(ok: 98, errors: 2, p95Ms: 10, p99Ms: 10, okPerSecond: 50));

        Assert.Equal("FAIL --slo-error-rate: required error rate <= 0.1%, measured 2% (2 of 100)", verdict.ToString());
    }

    [Fact]
    public void AWindowWithoutAnAnsweredRequestFailsEveryGate()
    {
        // Zero latency and zero errors of an empty window must not pass for a fast, clean run.
        var verdicts = AllGates.Evaluate(ok: 0, errors: 0, p95Ms: 0, p99Ms: 0, okPerSecond: 0);

        Assert.Equal(4, verdicts.Count);
        Assert.All(verdicts, v => Assert.False(v.Passed));
    }

    [Theory]
    [InlineData("0.001", 0.001)]
    [InlineData("0.1%", 0.001)]
    [InlineData("0", 0)]
    [InlineData("100%", 1)]
    public void AnErrorRateIsAFractionOrAPercentage(string value, double expected) =>
        Assert.Equal(expected, SloGates.ParseRate(value), precision: 12);

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("101%")]
    [InlineData("NaN")]
    public void AnErrorRateOutsideZeroToOneIsRefused(string value) =>
        Assert.Throws<ArgumentException>(() => SloGates.ParseRate(value));
}
