using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;
using Xunit;

namespace Payments.Actors.UnitTests.Psp;

/// <summary>The real Polly pipeline with a fake PSP call: what is retried, refused and reported.</summary>
public sealed class PspResilienceTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private PspResilience Resilience(Action<PspProviderOptions>? configure = null)
    {
        var settings = new PspProviderOptions
        {
            BaseUrl = new Uri("http://psp"),
            RetryBackoffBase = TimeSpan.FromMilliseconds(1),
            RetryJitterMax = TimeSpan.Zero,
            RequestTimeout = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(settings);
        var options = new PspOptions { Providers = { ["psp-x"] = settings } };
        return new PspResilience(new StaticOptionsMonitor(options), TimeProvider.System, _services.GetRequiredService<IMeterFactory>(), NullLogger<PspResilience>.Instance);
    }

    private static readonly PspResult Approved = new(PspOutcome.Approved, "p1", null, null);
    private static readonly PspResult ServerError = new(PspOutcome.Unknown, null, null, "503");

    [Fact]
    public async Task TwoFailuresAreRetriedUnderTheSameCallAndCountedInTheMeter()
    {
        using var listener = new MeterListener();
        long retries = 0;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PspMetrics.MeterName && instrument.Name == "psp.retries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref retries, value));
        listener.Start();
        var resilience = Resilience();
        var calls = 0;

        var result = await resilience.ExecuteAsync("psp-x", PspOperation.Authorize,
            _ => Task.FromResult(++calls <= 2 ? ServerError : Approved), CancellationToken.None);

        Assert.Equal((PspOutcome.Approved, 3), (result.Outcome, calls));
        Assert.Equal(2, Interlocked.Read(ref retries));
        Assert.Equal(2, resilience.Health("psp-x").Retries);
    }

    [Fact]
    public async Task AfterTwoRetriesTheOutcomeStaysUnknown()
    {
        var calls = 0;

        var result = await Resilience().ExecuteAsync("psp-x", PspOperation.Authorize, _ => Task.FromResult(++calls > 0 ? ServerError : Approved), CancellationToken.None);

        Assert.Equal((PspOutcome.Unknown, 3), (result.Outcome, calls));
    }

    [Fact]
    public async Task AnAttemptThatTimesOutIsUnknownNeverRejected()
    {
        var result = await Resilience(s => { s.RetryAttemptsMax = 0; s.RequestTimeout = TimeSpan.FromMilliseconds(50); })
            .ExecuteAsync("psp-x", PspOperation.Authorize, async token => { await Task.Delay(5000, token); return Approved; }, CancellationToken.None);

        Assert.Equal(PspOutcome.Unknown, result.Outcome);
    }

    [Fact]
    public async Task ARetryRefusedUnsentAfterAnAttemptThatMayHaveReachedThePspIsUnknownNeverAFailover()
    {
        var calls = 0;

        var result = await Resilience().ExecuteAsync("psp-x", PspOperation.Authorize,
            _ => Task.FromResult(++calls == 1 ? ServerError : new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, "PSP X refused the connection.")),
            CancellationToken.None);

        Assert.Equal((PspOutcome.Unknown, 2), (result.Outcome, calls));
        Assert.False(PspErrorCodes.AllowsFailover(result));
    }

    [Fact]
    public async Task ARetryRefusedUnsentAfterAnAttemptThatTimedOutIsUnknownNeverAFailover()
    {
        var calls = 0;

        var result = await Resilience(s => s.RequestTimeout = TimeSpan.FromMilliseconds(50)).ExecuteAsync("psp-x", PspOperation.Authorize, async token =>
        {
            if (++calls == 1)
            {
                await Task.Delay(5000, token);
            }

            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, "PSP X refused the connection.");
        }, CancellationToken.None);

        Assert.Equal((PspOutcome.Unknown, 2), (result.Outcome, calls));
    }

    [Fact]
    public async Task AFirstAttemptRefusedUnsentAllowsFailover()
    {
        var calls = 0;

        var result = await Resilience().ExecuteAsync("psp-x", PspOperation.Authorize,
            _ => { calls++; return Task.FromResult(new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, "PSP X refused the connection.")); },
            CancellationToken.None);

        Assert.Equal((PspOutcome.Rejected, PspErrorCodes.Unreachable, 1), (result.Outcome, result.DeclineCode, calls));
        Assert.True(PspErrorCodes.AllowsFailover(result));
    }

    [Theory]
    [InlineData(PspErrorCodes.Unreachable)]
    [InlineData(PspErrorCodes.NotConfigured)]
    public async Task AStatusInquiryThatCouldNotBeSentIsUnknownNeverTheRefusalItWouldBeForANewRequest(string code)
    {
        var result = await Resilience().InquireAsync("psp-x",
            _ => Task.FromResult(new PspResult(PspOutcome.Rejected, null, code, "connection refused")), CancellationToken.None);

        Assert.Equal((PspOutcome.Unknown, null), (result.Outcome, result.DeclineCode));
    }

    [Fact]
    public async Task AStatusInquiryAnsweredWithThePspsRefusalOfTheRequestKeepsIt()
    {
        var result = await Resilience().InquireAsync("psp-x",
            _ => Task.FromResult(new PspResult(PspOutcome.Rejected, null, "INVALID_REQUEST", "PSP A refused the request (400).")), CancellationToken.None);

        Assert.Equal((PspOutcome.Rejected, "INVALID_REQUEST"), (result.Outcome, result.DeclineCode));
    }

    [Fact]
    public async Task TenConsecutiveFailuresOpenTheBreakerAndTheNextCallIsRefusedUnsent()
    {
        var resilience = Resilience(s => s.RetryAttemptsMax = 0);
        for (var i = 0; i < 10; i++)
        {
            await resilience.ExecuteAsync("psp-x", PspOperation.Authorize, _ => Task.FromResult(ServerError), CancellationToken.None);
        }

        // Isolation by the consecutive-failure rule completes asynchronously.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (resilience.Health("psp-x").BreakerState == "Closed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var sent = false;
        var refused = await resilience.ExecuteAsync("psp-x", PspOperation.Authorize, _ => { sent = true; return Task.FromResult(Approved); }, CancellationToken.None);

        Assert.Equal((PspOutcome.Rejected, PspErrorCodes.CircuitOpen, false), (refused.Outcome, refused.DeclineCode, sent));
        Assert.Equal(1, resilience.Health("psp-x").BreakerRejections);
        Assert.True(PspErrorCodes.AllowsFailover(refused));
    }

    [Fact]
    public async Task AFullBulkheadRefusesFastWithoutSending()
    {
        var resilience = Resilience(s => { s.BulkheadConcurrencyMax = 1; s.BulkheadQueueMax = 0; });
        var release = new TaskCompletionSource<PspResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = resilience.ExecuteAsync("psp-x", PspOperation.Authorize, _ => release.Task, CancellationToken.None);
        var sent = false;

        var refused = await resilience.ExecuteAsync("psp-x", PspOperation.Authorize, _ => { sent = true; return Task.FromResult(Approved); }, CancellationToken.None);
        release.SetResult(Approved);

        Assert.Equal((PspOutcome.Rejected, PspErrorCodes.BulkheadFull, false), (refused.Outcome, refused.DeclineCode, sent));
        Assert.Equal(PspOutcome.Approved, (await inFlight).Outcome);
        Assert.Equal(1, resilience.Health("psp-x").BulkheadRejections);
    }

    [Fact]
    public async Task ADisabledPspIsRefusedWithoutSending()
    {
        var result = await Resilience(s => s.Enabled = false).ExecuteAsync("psp-x", PspOperation.Authorize, _ => throw new InvalidOperationException("sent"), CancellationToken.None);

        Assert.Equal((PspOutcome.Rejected, PspErrorCodes.Disabled), (result.Outcome, result.DeclineCode));
    }

    public void Dispose() => _services.Dispose();

    private sealed class StaticOptionsMonitor(PspOptions value) : IOptionsMonitor<PspOptions>
    {
        public PspOptions CurrentValue => value;

        public PspOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PspOptions, string?> listener) => null;
    }
}
