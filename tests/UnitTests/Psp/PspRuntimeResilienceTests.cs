using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;
using Xunit;

namespace Payments.Actors.UnitTests.Psp;

/// <summary>
/// The real Polly pipeline on a fake clock: the 20 % failure-ratio rule on its own, and operator
/// overrides published at runtime (rebuilt pipeline, calls in flight kept, breaker state carried over).
/// </summary>
public sealed class PspRuntimeResilienceTests : IDisposable
{
    private const string Psp = "psp-x";
    private static readonly PspResult Approved = new(PspOutcome.Approved, "p1", null, null);
    private static readonly PspResult ServerError = new(PspOutcome.Unknown, null, null, "503");

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly PspRuntimeSettings _runtime = new();

    private PspResilience Resilience(Action<PspProviderOptions>? configure = null)
    {
        var settings = new PspProviderOptions { BaseUrl = new Uri("http://psp"), RetryAttemptsMax = 0 };
        configure?.Invoke(settings);
        var options = new PspOptions { Providers = { [Psp] = settings } };
        return new PspResilience(new StaticOptionsMonitor(options), _time, _services.GetRequiredService<IMeterFactory>(),
            NullLogger<PspResilience>.Instance, _runtime);
    }

    private void Override(params (string Name, double Value)[] overrides) =>
        _runtime.Publish([new(Psp, new PspRuntimeSettings.Row(true, overrides.ToFrozenDictionary(o => o.Name, o => o.Value)))]);

    private static Task<PspResult> Call(PspResilience resilience, PspResult answer) =>
        resilience.ExecuteAsync(Psp, PspOperation.Authorize, _ => Task.FromResult(answer), CancellationToken.None);

    [Fact]
    public async Task OneFailureInFourAboveTheMinimumThroughputOpensTheBreakerWithoutConsecutiveFailures()
    {
        var resilience = Resilience();
        var calls = 0;
        PspResult last = Approved;

        // 25 % failures, never two in a row: only the ratio rule can open the breaker.
        while (last.DeclineCode != PspErrorCodes.CircuitOpen && calls < 100)
        {
            last = await Call(resilience, calls++ % 4 == 0 ? ServerError : Approved);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(PspErrorCodes.CircuitOpen, last.DeclineCode);
        Assert.InRange(calls, PspProviderOptions.BreakerThroughputMinDefault, PspProviderOptions.BreakerThroughputMinDefault + 4);
        Assert.Equal("Open", resilience.Health(Psp).BreakerState);
    }

    [Fact]
    public async Task AnOperatorsHealthResetClosesBothBreakersAndEmptiesTheHealthWindowOncePerReset()
    {
        var resilience = Resilience(s => s.BreakerThroughputMin = 4);
        for (var i = 0; i < 10 && resilience.Health(Psp).BreakerState != "Open"; i++)
        {
            await Call(resilience, ServerError);
        }

        Assert.Equal("Open", resilience.Health(Psp).BreakerState);
        Assert.NotEqual(0, resilience.Health(Psp).RecentAttempts);

        _runtime.Publish([new(Psp, new PspRuntimeSettings.Row(true, FrozenDictionary<string, double>.Empty, HealthResets: 1))]);
        var reset = resilience.Health(Psp);

        Assert.Equal(("Closed", 0, 1.0, 1L), (reset.BreakerState, reset.RecentAttempts, reset.SuccessRate, reset.HealthResets));
        Assert.Equal(Approved, await Call(resilience, Approved));

        // The same count seen again changes nothing: the attempt just made stays in the window.
        _runtime.Publish([new(Psp, new PspRuntimeSettings.Row(true, FrozenDictionary<string, double>.Empty, HealthResets: 1))]);
        Assert.Equal(1, resilience.Health(Psp).RecentAttempts);
    }

    [Fact]
    public async Task OneFailureInSixStaysBelowTwentyPercentAndTheBreakerStaysClosed()
    {
        var resilience = Resilience();

        for (var i = 0; i < 60; i++)
        {
            var result = await Call(resilience, i % 6 == 5 ? ServerError : Approved);
            Assert.NotEqual(PspErrorCodes.CircuitOpen, result.DeclineCode);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal("Closed", resilience.Health(Psp).BreakerState);
    }

    [Fact]
    public async Task FailuresOlderThanTheSamplingWindowNoLongerCount()
    {
        var resilience = Resilience(s => s.BreakerThroughputMin = 4);
        await Call(resilience, ServerError);
        _time.Advance(PspProviderOptions.BreakerSamplingDurationDefault + TimeSpan.FromSeconds(1));

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(PspOutcome.Approved, (await Call(resilience, Approved)).Outcome);
        }

        Assert.Equal("Closed", resilience.Health(Psp).BreakerState);
    }

    [Fact]
    public async Task AfterAnOutageTheSuccessfulProbeStartsTheRatioWindowAfreshSoOneFailureDoesNotReopenTheBreaker()
    {
        var resilience = Resilience(s => s.BreakerThroughputMin = 12);
        for (var i = 0; i < PspProviderOptions.BreakerConsecutiveFailuresMax; i++)
        {
            await Call(resilience, ServerError);
        }

        Assert.Equal("Open", resilience.Health(Psp).BreakerState);
        _time.Advance(PspProviderOptions.BreakDurationDefault);
        Assert.Equal(PspOutcome.Approved, (await Call(resilience, Approved)).Outcome);
        Assert.Equal("Closed", resilience.Health(Psp).BreakerState);

        // The outage's ten failures are still inside the 60 s window; counted, these two calls would reach the minimum volume at 11 failures in 12.
        Assert.Equal(PspOutcome.Unknown, (await Call(resilience, ServerError)).Outcome);
        var next = await Call(resilience, Approved);

        Assert.Equal(PspOutcome.Approved, next.Outcome);
        Assert.Equal("Closed", resilience.Health(Psp).BreakerState);
    }

    [Fact]
    public async Task AnOverrideIsInForceOnTheNextCallAndShownInHealth()
    {
        var resilience = Resilience(s => s.BreakerConsecutiveFailures = 10);
        Override((PspSettingNames.BreakerConsecutiveFailures, 2), (PspSettingNames.RequestTimeoutMs, 750));

        await Call(resilience, ServerError);
        await Call(resilience, ServerError);
        var refused = await Call(resilience, Approved);

        Assert.Equal(PspErrorCodes.CircuitOpen, refused.DeclineCode);
        var settings = resilience.Health(Psp).Settings;
        Assert.Equal(2, settings[PspSettingNames.BreakerConsecutiveFailures]);
        Assert.Equal(750, settings[PspSettingNames.RequestTimeoutMs]);
        Assert.Equal(PspProviderOptions.BulkheadConcurrencyMaxDefault, settings[PspSettingNames.BulkheadConcurrencyMax]);
    }

    [Fact]
    public async Task ACallInFlightFinishesOnItsPipelineWhileANewBulkheadLimitRefusesTheNextOnes()
    {
        var resilience = Resilience(s => { s.BulkheadConcurrencyMax = 2; s.BulkheadQueueMax = 0; });
        var release = new TaskCompletionSource<PspResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = resilience.ExecuteAsync(Psp, PspOperation.Authorize, _ => release.Task, CancellationToken.None);

        Override((PspSettingNames.BulkheadConcurrencyMax, 1));
        var holder = resilience.ExecuteAsync(Psp, PspOperation.Authorize, _ => release.Task, CancellationToken.None);
        var refused = await Call(resilience, Approved);
        release.SetResult(Approved);

        Assert.Equal(PspErrorCodes.BulkheadFull, refused.DeclineCode);
        Assert.Equal(PspOutcome.Approved, (await inFlight).Outcome);
        Assert.Equal(PspOutcome.Approved, (await holder).Outcome);
    }

    [Fact]
    public async Task AnOpenRatioBreakerStaysOpenWhenAnOperatorChangesAThreshold()
    {
        var resilience = Resilience(s => { s.BreakerThroughputMin = 2; s.BreakerConsecutiveFailures = 100; });
        await Call(resilience, ServerError);
        await Call(resilience, ServerError);
        Assert.Equal("Open", resilience.Health(Psp).BreakerState);

        Override((PspSettingNames.RequestTimeoutMs, 1000));
        var sent = false;
        var refused = await resilience.ExecuteAsync(Psp, PspOperation.Authorize, _ => { sent = true; return Task.FromResult(Approved); }, CancellationToken.None);

        Assert.Equal((PspErrorCodes.CircuitOpen, false), (refused.DeclineCode, sent));
        _time.Advance(PspProviderOptions.BreakDurationDefault);
        Assert.Equal(PspOutcome.Approved, (await Call(resilience, Approved)).Outcome);
        Assert.Equal("Closed", resilience.Health(Psp).BreakerState);
    }

    [Fact]
    public void AnOverrideThatBreaksARuleIsNamedByItsField()
    {
        var configured = new PspProviderOptions { BaseUrl = new Uri("http://psp") };

        var tooLong = PspSettingFields.Apply(configured, [new(PspSettingNames.RequestTimeoutMs, 9000)]);
        var noRatio = PspSettingFields.Apply(configured, [new(PspSettingNames.BreakerFailureRatio, 0)]);

        Assert.Contains(PspResilienceLimits.Check(tooLong), p => PspSettingFields.NameOf(p.Property) == PspSettingNames.RequestTimeoutMs);
        Assert.Equal(PspSettingNames.BreakerFailureRatio, PspSettingFields.NameOf(PspResilienceLimits.Check(noRatio).Single().Property));
        Assert.Empty(PspResilienceLimits.Check(configured));
        Assert.Equal(TimeSpan.FromSeconds(3), configured.RequestTimeout);
        Assert.NotNull(PspControlGrain.FindValueProblem(PspSettingNames.RetryAttemptsMax, 1.5));
        Assert.NotNull(PspControlGrain.FindValueProblem("request_timeout", 100));
        Assert.NotNull(PspControlGrain.FindValueProblem(PspSettingNames.BreakDurationMs, double.PositiveInfinity));
        Assert.Null(PspControlGrain.FindValueProblem(PspSettingNames.BreakerFailureRatio, 0.3));
    }

    public void Dispose() => _services.Dispose();

    private sealed class StaticOptionsMonitor(PspOptions value) : IOptionsMonitor<PspOptions>
    {
        public PspOptions CurrentValue => value;

        public PspOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PspOptions, string?> listener) => null;
    }
}
