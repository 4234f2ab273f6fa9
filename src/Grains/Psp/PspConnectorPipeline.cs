using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The Polly pipeline of one PSP connector on this silo, outermost first: bulkhead (concurrency
/// limiter, fails fast when its queue is full), total budget, retry with exponential backoff and
/// jitter, circuit breaker (failure ratio over a sampling window), attempt timeout. The breaker's
/// second rule, "N failed attempts in a row", is not a Polly option: it isolates the breaker through
/// its manual control for one break duration, after which the first failure isolates it again, so
/// the first call after the break is the probe.
/// </summary>
internal sealed class PspConnectorPipeline
{
    private readonly string _psp;
    private readonly TimeProvider _time;
    private readonly PspMetrics _metrics;
    private readonly Action<string, string> _log;
    private readonly CircuitBreakerManualControl _manualControl = new();
    private readonly CircuitBreakerStateProvider _stateProvider = new();
    private DateTimeOffset _openedAt;
    private int _consecutiveFailures;
    private int _isolating;
    private long _requests;
    private long _failures;
    private long _retries;
    private long _bulkheadRejections;
    private long _breakerRejections;

    public PspConnectorPipeline(string psp, PspProviderOptions settings, TimeProvider time, PspMetrics metrics, Action<string, string> log)
    {
        _psp = psp;
        _time = time;
        _metrics = metrics;
        _log = log;
        Settings = settings;
        var failure = new PredicateBuilder<PspResult>()
            .Handle<TimeoutRejectedException>()
            .Handle<HttpRequestException>()
            .HandleResult(r => r.Outcome == PspOutcome.Unknown);
        Pipeline = new ResiliencePipelineBuilder<PspResult> { TimeProvider = time }
            .AddConcurrencyLimiter(settings.BulkheadConcurrencyMax, settings.BulkheadQueueMax)
            .AddTimeout(settings.AdapterBudgetTotal)
            .AddRetry(new RetryStrategyOptions<PspResult>
            {
                // Safe because every attempt carries the same request id, which the PSP de-duplicates.
                // Polly wants at least one retry attempt configured; zero retries means "handle nothing".
                ShouldHandle = settings.RetryAttemptsMax == 0 ? _ => PredicateResult.False() : failure,
                MaxRetryAttempts = Math.Max(settings.RetryAttemptsMax, 1),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    PspBackoff.Delay(args.AttemptNumber, settings.RetryBackoffBase, settings.RetryJitterMax, Random.Shared.NextDouble())),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    _metrics.Retry(_psp);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<PspResult>
            {
                // A refused connection proves nothing was charged, but it is still a sign of a sick PSP.
                ShouldHandle = new PredicateBuilder<PspResult>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.Outcome == PspOutcome.Unknown
                        || (r.Outcome == PspOutcome.Rejected && r.DeclineCode == PspErrorCodes.Unreachable)),
                FailureRatio = settings.BreakerFailureRatio,
                SamplingDuration = settings.BreakerSamplingDuration,
                MinimumThroughput = settings.BreakerThroughputMin,
                BreakDuration = settings.BreakDuration,
                StateProvider = _stateProvider,
                ManualControl = _manualControl,
                OnOpened = _ =>
                {
                    _openedAt = _time.GetUtcNow();
                    _log(_psp, "opened (failure ratio)");
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    _log(_psp, "half-open");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _log(_psp, "closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.RequestTimeout)
            .Build();
        Inquiry = new ResiliencePipelineBuilder<PspResult> { TimeProvider = time }
            .AddTimeout(settings.RequestTimeout)
            .Build();
    }

    public PspProviderOptions Settings { get; }

    public ResiliencePipeline<PspResult> Pipeline { get; }

    public ResiliencePipeline<PspResult> Inquiry { get; }

    public PspHealthWindow Window { get; } = new();

    public CircuitState BreakerState => _stateProvider.CircuitState;

    /// <summary>
    /// The breaker as routing should see it: Polly only moves an open breaker to half-open when a call
    /// arrives, so once the break is over it reads as half-open here, inviting the probe.
    /// </summary>
    public string RoutingState => _stateProvider.CircuitState == CircuitState.Open && _time.GetUtcNow() - _openedAt >= Settings.BreakDuration
        ? nameof(CircuitState.HalfOpen)
        : _stateProvider.CircuitState.ToString();

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    public long Retries => Interlocked.Read(ref _retries);

    public long BulkheadRejections => Interlocked.Read(ref _bulkheadRejections);

    public long BreakerRejections => Interlocked.Read(ref _breakerRejections);

    public void CountBulkheadRejection()
    {
        Interlocked.Increment(ref _bulkheadRejections);
        _metrics.BulkheadRejected(_psp);
    }

    public void CountBreakerRejection()
    {
        Interlocked.Increment(ref _breakerRejections);
        _metrics.BreakerRejected(_psp);
    }

    /// <summary>Records one attempt's outcome for health, metrics and the consecutive-failure rule.</summary>
    public void RecordAttempt(PspOperation operation, string outcome, double latencyMs, bool failed)
    {
        Interlocked.Increment(ref _requests);
        Window.Record(_time.GetUtcNow(), latencyMs, !failed);
        _metrics.Attempt(_psp, operation.ToString().ToLowerInvariant(), outcome, latencyMs, failed);
        if (!failed)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
            return;
        }

        Interlocked.Increment(ref _failures);
        if (Interlocked.Increment(ref _consecutiveFailures) >= Settings.BreakerConsecutiveFailures
            && Interlocked.CompareExchange(ref _isolating, 1, 0) == 0)
        {
            _ = IsolateForOneBreakAsync();
        }
    }

    private async Task IsolateForOneBreakAsync()
    {
        try
        {
            await _manualControl.IsolateAsync();
            _log(_psp, $"opened ({Settings.BreakerConsecutiveFailures} consecutive failures)");
            await Task.Delay(Settings.BreakDuration, _time);

            // The next failure re-opens at once: the first call after the break is the probe.
            Volatile.Write(ref _consecutiveFailures, Settings.BreakerConsecutiveFailures - 1);
            await _manualControl.CloseAsync();
            _log(_psp, "probing after a consecutive-failure break");
        }
        finally
        {
            Volatile.Write(ref _isolating, 0);
        }
    }
}
