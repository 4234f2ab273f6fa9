using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// This silo's resilience state per PSP: one <see cref="PspConnectorPipeline"/> each, rebuilt when its
/// settings change. Maps what the pipeline did to what we provably know: a call refused by the
/// bulkhead or the breaker before anything was sent is <see cref="PspOutcome.Rejected"/> (so routing
/// may fail over); anything that may have reached the PSP and has no answer stays
/// <see cref="PspOutcome.Unknown"/>.
/// </summary>
public sealed partial class PspResilience
{
    private readonly ConcurrentDictionary<string, PspConnectorPipeline> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly IOptionsMonitor<PspOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PspResilience> _logger;
    private readonly PspMetrics _metrics;
    private readonly PspKillSwitch _killSwitch;

    public PspResilience(IOptionsMonitor<PspOptions> options, TimeProvider time, IMeterFactory meterFactory, ILogger<PspResilience> logger,
        PspKillSwitch? killSwitch = null)
    {
        _options = options;
        _killSwitch = killSwitch ?? new PspKillSwitch();
        _time = time;
        _logger = logger;
        _metrics = new PspMetrics(meterFactory, ObserveBreakers);
    }

    /// <summary>The settings in force for <paramref name="psp"/>, or null when it is not configured.</summary>
    public PspProviderOptions? SettingsOf(string psp) => _options.CurrentValue.Providers.GetValueOrDefault(psp);

    public async Task<PspResult> ExecuteAsync(string psp, PspOperation operation, Func<CancellationToken, Task<PspResult>> send, CancellationToken cancellationToken)
    {
        if (PipelineOf(psp) is not { } pipeline)
        {
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.NotConfigured, $"PSP '{psp}' is not configured.");
        }

        if (!IsEnabled(psp, pipeline.Settings))
        {
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Disabled, $"PSP '{psp}' is switched off.");
        }

        // Set once any attempt may have reached the PSP: from then on, no refusal proves anything.
        var maybeSent = false;
        try
        {
            return await pipeline.Pipeline.ExecuteAsync(async token =>
            {
                var started = _time.GetTimestamp();
                PspResult result;
                try
                {
                    result = await send(token);
                }
                catch (OperationCanceledException)
                {
                    maybeSent = true;
                    pipeline.RecordAttempt(operation, "timeout", _time.GetElapsedTime(started).TotalMilliseconds, failed: true);
                    throw;
                }
                catch (Exception exception)
                {
                    // An answer we could not read is still an answer we do not know.
                    result = new PspResult(PspOutcome.Unknown, null, null, $"The PSP's answer could not be processed ({exception.GetType().Name}).");
                }

                var failed = result.Outcome == PspOutcome.Unknown || result.DeclineCode == PspErrorCodes.Unreachable;
                maybeSent |= result.Outcome != PspOutcome.Rejected;
                pipeline.RecordAttempt(operation, result.Outcome.ToString().ToLowerInvariant(), _time.GetElapsedTime(started).TotalMilliseconds, failed);
                return result;
            }, cancellationToken);
        }
        catch (RateLimiterRejectedException)
        {
            pipeline.CountBulkheadRejection();
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.BulkheadFull,
                $"PSP '{psp}' has {pipeline.Settings.BulkheadConcurrencyMax} calls in flight and {pipeline.Settings.BulkheadQueueMax} waiting; not sent.");
        }
        catch (BrokenCircuitException) when (!maybeSent)
        {
            pipeline.CountBreakerRejection();
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.CircuitOpen, $"PSP '{psp}' circuit breaker is open; not sent.");
        }
        catch (BrokenCircuitException)
        {
            pipeline.CountBreakerRejection();
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' breaker opened after an unanswered attempt.");
        }
        catch (TimeoutRejectedException exception)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' did not answer within {exception.Timeout.TotalMilliseconds:0} ms.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' call was cancelled.");
        }
    }

    /// <summary>A status inquiry: one attempt under the request timeout, outside the breaker and the bulkhead.</summary>
    public async Task<PspResult> InquireAsync(string psp, Func<CancellationToken, Task<PspResult>> send, CancellationToken cancellationToken)
    {
        if (PipelineOf(psp) is not { } pipeline)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' is not configured.");
        }

        try
        {
            return await pipeline.Inquiry.ExecuteAsync(async token => await send(token), cancellationToken);
        }
        catch (TimeoutRejectedException exception)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' status inquiry timed out after {exception.Timeout.TotalMilliseconds:0} ms.");
        }
    }

    public PspHealth Health(string psp)
    {
        var pipeline = PipelineOf(psp);
        if (pipeline is null)
        {
            return new PspHealth(psp, false, "NotConfigured", 0, 0, 0, 0, 0, 0, 0, 0);
        }

        var (rate, p95, attempts) = pipeline.Window.Summarize(_time.GetUtcNow() - pipeline.Settings.HealthWindow);
        return new PspHealth(psp, IsEnabled(psp, pipeline.Settings), pipeline.RoutingState, rate, p95, attempts,
            pipeline.Requests, pipeline.Failures, pipeline.Retries, pipeline.BulkheadRejections, pipeline.BreakerRejections);
    }

    /// <summary>On in configuration and not switched off by an operator at runtime.</summary>
    public bool IsEnabled(string psp, PspProviderOptions settings) => settings.Enabled && _killSwitch.IsEnabled(psp);

    private PspConnectorPipeline? PipelineOf(string psp)
    {
        var settings = SettingsOf(psp);
        if (settings is null)
        {
            return null;
        }

        var current = _pipelines.GetValueOrDefault(psp);
        if (current is not null && ReferenceEquals(current.Settings, settings))
        {
            return current;
        }

        // New settings mean a new pipeline (and a fresh breaker); losing one window of statistics is fine.
        var fresh = new PspConnectorPipeline(psp, settings, _time, _metrics, (name, change) => LogBreaker(_logger, name, change));
        return current is null
            ? _pipelines.GetOrAdd(psp, fresh)
            : _pipelines.TryUpdate(psp, fresh, current) ? fresh : _pipelines[psp];
    }

    private IEnumerable<Measurement<int>> ObserveBreakers()
    {
        foreach (var (psp, pipeline) in _pipelines)
        {
            var state = pipeline.BreakerState switch
            {
                CircuitState.Closed => 0,
                CircuitState.HalfOpen => 1,
                CircuitState.Open => 2,
                _ => 3,
            };
            yield return new Measurement<int>(state, new KeyValuePair<string, object?>("psp", psp));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP {Psp} circuit breaker {Change}")]
    private static partial void LogBreaker(ILogger logger, string psp, string change);
}
