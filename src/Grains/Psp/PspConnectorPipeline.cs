using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The Polly pipeline of one PSP connector on this silo for one version of its settings, outermost
/// first: bulkhead (concurrency limiter, fails fast when its queue is full), total budget, retry with
/// exponential backoff and jitter, the consecutive-failure breaker (<see cref="PspConsecutiveFailureBreaker"/>,
/// which outlives pipelines), Polly's circuit breaker (failure ratio over a sampling window, with a
/// minimum throughput), attempt timeout. The two breakers are one breaker to operators and routing: when
/// the consecutive-failure rule's half-open probe succeeds, the ratio rule's window starts afresh too, as
/// Polly's own breaker does when its probe succeeds; otherwise the outage's failures, still inside the
/// window, would re-open it on the first failure after recovery. Immutable: a settings change builds a new one, and calls in
/// flight finish on the one they started with.
/// </summary>
internal sealed class PspConnectorPipeline
{
    private readonly TimeProvider _time;
    private readonly CircuitBreakerStateProvider _stateProvider = new();
    private readonly CircuitBreakerManualControl _ratioControl = new();
    private long _openedAtTicks;

    public PspConnectorPipeline(PspProviderOptions settings, TimeProvider time, PspConsecutiveFailureBreaker consecutive, Action onRetry, Action<string> log)
    {
        _time = time;
        Settings = settings;
        Shape = ShapeOf(settings);
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
                    onRetry();
                    return ValueTask.CompletedTask;
                },
            })
            .AddStrategy(_ => new ConsecutiveFailureGate(consecutive, settings, _ratioControl, log))
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
                ManualControl = _ratioControl,
                OnOpened = _ =>
                {
                    Interlocked.Exchange(ref _openedAtTicks, _time.GetUtcNow().UtcTicks);
                    log("opened (failure ratio)");
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    log("half-open");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    log("closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.RequestTimeout)
            .Build();
        Inquiry = new ResiliencePipelineBuilder<PspResult> { TimeProvider = time }
            .AddTimeout(settings.RequestTimeout)
            .Build();
    }

    /// <summary>The settings this pipeline was built from.</summary>
    public PspProviderOptions Settings { get; }

    /// <summary>What the pipeline depends on; settings of the same shape reuse it (and keep its breaker).</summary>
    public PipelineShape Shape { get; }

    public ResiliencePipeline<PspResult> Pipeline { get; }

    public ResiliencePipeline<PspResult> Inquiry { get; }

    /// <summary>
    /// The ratio breaker as routing should see it: Polly only moves an open breaker to half-open when a
    /// call arrives, so once the break is over it reads as half-open here, inviting the probe.
    /// </summary>
    public CircuitState State
    {
        get
        {
            var state = _stateProvider.CircuitState;
            var openedAt = new DateTimeOffset(Interlocked.Read(ref _openedAtTicks), TimeSpan.Zero);
            return state == CircuitState.Open && _time.GetUtcNow() - openedAt >= Settings.BreakDuration ? CircuitState.HalfOpen : state;
        }
    }

    public static PipelineShape ShapeOf(PspProviderOptions s) => new(s.BulkheadConcurrencyMax, s.BulkheadQueueMax, s.AdapterBudgetTotal, s.RetryAttemptsMax,
        s.RetryBackoffBase, s.RetryJitterMax, s.BreakerFailureRatio, s.BreakerSamplingDuration, s.BreakerThroughputMin, s.BreakerConsecutiveFailures, s.BreakDuration, s.RequestTimeout);

    /// <summary>Failure as both breakers count it: no answer we can trust, or a refused connection.</summary>
    public static bool IsFailure(Outcome<PspResult> outcome) =>
        outcome.Exception is not null
        || outcome.Result is { Outcome: PspOutcome.Unknown }
        || outcome.Result is { Outcome: PspOutcome.Rejected, DeclineCode: PspErrorCodes.Unreachable };

    /// <summary>Admits each attempt through the consecutive-failure breaker and reports its outcome back.</summary>
    private sealed class ConsecutiveFailureGate(PspConsecutiveFailureBreaker breaker, PspProviderOptions settings,
        CircuitBreakerManualControl ratio, Action<string> log)
        : ResilienceStrategy<PspResult>
    {
        protected override async ValueTask<Outcome<PspResult>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<PspResult>>> callback, ResilienceContext context, TState state)
        {
            if (!breaker.TryEnter(settings.BreakDuration, out var ticket))
            {
                return Outcome.FromException<PspResult>(new BrokenCircuitException($"{settings.BreakerConsecutiveFailures} attempts in a row failed; the breaker is open."));
            }

            Outcome<PspResult> outcome;
            try
            {
                outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            }
            catch (Exception exception)
            {
                outcome = Outcome.FromException<PspResult>(exception);
            }

            if (outcome.Exception is BrokenCircuitException)
            {
                // Refused by the ratio breaker: not an attempt, so it says nothing about the PSP.
                breaker.Release(ticket);
                return outcome;
            }

            switch (breaker.Record(ticket, IsFailure(outcome), settings.BreakerConsecutiveFailures, settings.BreakDuration))
            {
                case PspConsecutiveFailureBreaker.State.Open:
                    log(ticket.IsProbe ? "re-opened (probe failed)" : $"opened ({settings.BreakerConsecutiveFailures} consecutive failures)");
                    break;
                case PspConsecutiveFailureBreaker.State.Closed:
                    // Closing a closed Polly breaker only clears its sampling window.
                    await ratio.CloseAsync(CancellationToken.None).ConfigureAwait(context.ContinueOnCapturedContext);
                    log("closed (probe succeeded)");
                    break;
            }

            return outcome;
        }
    }
}

/// <summary>The settings a <see cref="PspConnectorPipeline"/> is built from.</summary>
internal sealed record PipelineShape(int BulkheadConcurrencyMax, int BulkheadQueueMax, TimeSpan AdapterBudgetTotal, int RetryAttemptsMax,
    TimeSpan RetryBackoffBase, TimeSpan RetryJitterMax, double BreakerFailureRatio, TimeSpan BreakerSamplingDuration, int BreakerThroughputMin,
    int BreakerConsecutiveFailures, TimeSpan BreakDuration, TimeSpan RequestTimeout);
