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
/// This silo's resilience state per PSP: the Polly pipeline of its effective settings (configuration
/// with the operators' overrides, see <see cref="PspRuntimeSettings"/>), its consecutive-failure
/// breaker, health window and counters. A threshold change builds a new pipeline on the next call;
/// calls in flight finish on the old one, and breaker state, health and counters carry over. Maps
/// what the pipeline did to what we provably know: a call refused by the bulkhead or a breaker before
/// anything was sent is <see cref="PspOutcome.Rejected"/> (so routing may fail over); anything that
/// may have reached the PSP and has no answer stays <see cref="PspOutcome.Unknown"/>.
/// </summary>
public sealed partial class PspResilience
{
    private readonly ConcurrentDictionary<string, Connector> _connectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly IOptionsMonitor<PspOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PspResilience> _logger;
    private readonly PspMetrics _metrics;
    private readonly PspRuntimeSettings _runtime;

    public PspResilience(IOptionsMonitor<PspOptions> options, TimeProvider time, IMeterFactory meterFactory, ILogger<PspResilience> logger,
        PspRuntimeSettings? runtime = null)
    {
        _options = options;
        _runtime = runtime ?? new PspRuntimeSettings();
        _time = time;
        _logger = logger;
        _metrics = new PspMetrics(meterFactory, ObserveBreakers, ObserveSettings);
    }

    /// <summary>The settings in force for <paramref name="psp"/> on this silo (configuration with overrides), or null when it is not configured.</summary>
    public PspProviderOptions? SettingsOf(string psp) =>
        _options.CurrentValue.Providers.GetValueOrDefault(psp) is { } configured ? _runtime.Effective(psp, configured) : null;

    public Task<PspResult> ExecuteAsync(string psp, PspOperation operation, Func<CancellationToken, Task<PspResult>> send, CancellationToken cancellationToken) =>
        ExecuteAsync(psp, operation.ToString().ToLowerInvariant(), send, cancellationToken);

    /// <summary>One call through the provider's pipeline; <paramref name="operation"/> labels its metrics (e.g. "authorize", "cashout").</summary>
    public async Task<PspResult> ExecuteAsync(string psp, string operation, Func<CancellationToken, Task<PspResult>> send, CancellationToken cancellationToken)
    {
        if (SettingsOf(psp) is not { } settings)
        {
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.NotConfigured, $"PSP '{psp}' is not configured.");
        }

        if (!IsEnabled(psp, settings))
        {
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.Disabled, $"PSP '{psp}' is switched off.");
        }

        var connector = ConnectorOf(psp);
        var pipeline = connector.PipelineFor(settings);

        // Set once any attempt may have reached the PSP: from then on, no refusal proves anything.
        var sent = new SentFlag();
        try
        {
            var answer = await pipeline.Pipeline.ExecuteAsync(token => AttemptAsync(connector, operation, send, sent, token), cancellationToken);
            var maybeSent = sent.Maybe;

            // A retry that never left (the connection refused) does not undo an earlier attempt that may have reached
            // the PSP: the outcome stays unknown, for a status inquiry to settle, and never allows failover.
            return maybeSent && PspErrorCodes.AllowsFailover(answer)
                ? new PspResult(PspOutcome.Unknown, null, null, $"{answer.Message} An earlier attempt may have reached PSP '{psp}'.")
                : answer;
        }
        catch (RateLimiterRejectedException)
        {
            connector.CountBulkheadRejection();
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.BulkheadFull,
                $"PSP '{psp}' has {pipeline.Settings.BulkheadConcurrencyMax} calls in flight and {pipeline.Settings.BulkheadQueueMax} waiting; not sent.");
        }
        catch (BrokenCircuitException) when (!sent.Maybe)
        {
            connector.CountBreakerRejection();
            return new PspResult(PspOutcome.Rejected, null, PspErrorCodes.CircuitOpen, $"PSP '{psp}' circuit breaker is open; not sent.");
        }
        catch (BrokenCircuitException)
        {
            connector.CountBreakerRejection();
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

    /// <summary>One attempt inside the pipeline: its metrics, and whether it may have reached the PSP.</summary>
    private async ValueTask<PspResult> AttemptAsync(Connector connector, string operation, Func<CancellationToken, Task<PspResult>> send,
        SentFlag sent, CancellationToken token)
    {
        var started = _time.GetTimestamp();
        PspResult result;
        try
        {
            result = await send(token);
        }
        catch (OperationCanceledException)
        {
            sent.Maybe = true;
            connector.RecordAttempt(operation, "timeout", _time.GetElapsedTime(started).TotalMilliseconds, failed: true);
            throw;
        }
        catch (Exception exception)
        {
            // An answer we could not read is still an answer we do not know.
            result = new PspResult(PspOutcome.Unknown, null, null, $"The PSP's answer could not be processed ({exception.GetType().Name}).");
        }

        var failed = result.Outcome == PspOutcome.Unknown || result.DeclineCode == PspErrorCodes.Unreachable;
        sent.Maybe |= result.Outcome != PspOutcome.Rejected;
        connector.RecordAttempt(operation, result.Outcome.ToString().ToLowerInvariant(), _time.GetElapsedTime(started).TotalMilliseconds, failed);
        return result;
    }

    private sealed class SentFlag
    {
        public bool Maybe { get; set; }
    }

    /// <summary>
    /// A status inquiry: one attempt under the request timeout, outside the breaker and the bulkhead. Only the PSP's
    /// answer about the request settles it: an inquiry that could not be sent (connection refused or timed out) is
    /// <see cref="PspOutcome.Unknown"/>, never the "nothing was sent" refusal it would be for a new request, which
    /// would fail a payment the PSP may have charged, or give back a payout the Bank may have made.
    /// </summary>
    public async Task<PspResult> InquireAsync(string psp, Func<CancellationToken, Task<PspResult>> send, CancellationToken cancellationToken)
    {
        if (SettingsOf(psp) is not { } settings)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' is not configured.");
        }

        try
        {
            var result = await ConnectorOf(psp).PipelineFor(settings).Inquiry.ExecuteAsync(async token => await send(token), cancellationToken);
            return PspErrorCodes.AllowsFailover(result)
                ? new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' status inquiry was not sent: {result.Message}")
                : result;
        }
        catch (TimeoutRejectedException exception)
        {
            return new PspResult(PspOutcome.Unknown, null, null, $"PSP '{psp}' status inquiry timed out after {exception.Timeout.TotalMilliseconds:0} ms.");
        }
    }

    public PspHealth Health(string psp)
    {
        if (SettingsOf(psp) is not { } settings)
        {
            return new PspHealth(psp, false, "NotConfigured", 0, 0, 0, 0, 0, 0, 0, 0, new Dictionary<string, double>());
        }

        var connector = ConnectorOf(psp);
        var (rate, p95, attempts) = connector.Window.Summarize(_time.GetUtcNow() - settings.HealthWindow);
        return new PspHealth(psp, IsEnabled(psp, settings), connector.BreakerState(settings).ToString(), rate, p95, attempts,
            connector.Requests, connector.Failures, connector.Retries, connector.BulkheadRejections, connector.BreakerRejections,
            PspSettingFields.Snapshot(settings), connector.HealthResets);
    }

    /// <summary>On in configuration and not switched off by an operator at runtime.</summary>
    public bool IsEnabled(string psp, PspProviderOptions settings) => settings.Enabled && _runtime.IsEnabled(psp);

    /// <summary>The PSP's connector, first made to forget its breaker state and health if an operator reset them since it last looked.</summary>
    private Connector ConnectorOf(string psp)
    {
        var connector = _connectors.GetOrAdd(psp, name => new Connector(name, _time, _metrics, change => LogBreaker(_logger, name, change)));
        connector.ApplyHealthResets(_runtime.HealthResetsOf(psp));
        return connector;
    }

    private IEnumerable<Measurement<int>> ObserveBreakers()
    {
        foreach (var (psp, connector) in _connectors)
        {
            if (SettingsOf(psp) is { } settings)
            {
                yield return new Measurement<int>((int)connector.BreakerState(settings), new KeyValuePair<string, object?>("psp", psp));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveSettings()
    {
        foreach (var psp in _options.CurrentValue.Providers.Keys)
        {
            foreach (var (name, value) in PspSettingFields.Snapshot(SettingsOf(psp)!))
            {
                yield return new Measurement<double>(value, new KeyValuePair<string, object?>("psp", psp), new KeyValuePair<string, object?>("setting", name));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP {Psp} circuit breaker {Change}")]
    private static partial void LogBreaker(ILogger logger, string psp, string change);

    /// <summary>The breaker as health, routing and the gauge report it (the gauge's values are these numbers).</summary>
    public enum BreakerStates
    {
        Closed = 0,
        HalfOpen = 1,
        Open = 2,
    }

    /// <summary>One PSP on this silo: what outlives a settings change (breaker rule state, health, counters) and the current pipeline.</summary>
    private sealed class Connector(string psp, TimeProvider time, PspMetrics metrics, Action<string> log)
    {
        private readonly Lock _rebuild = new();
        private volatile PspConnectorPipeline? _pipeline;
        private long _requests;
        private long _failures;
        private long _retries;
        private long _bulkheadRejections;
        private long _breakerRejections;

        /// <summary>The operators' reset count this connector has applied (<see cref="PspRuntimeSettings.HealthResetsOf"/>).</summary>
        private long _healthResets;

        public PspConsecutiveFailureBreaker Breaker { get; } = new(time);

        public PspHealthWindow Window { get; } = new();

        public long HealthResets => Interlocked.Read(ref _healthResets);

        public long Requests => Interlocked.Read(ref _requests);

        public long Failures => Interlocked.Read(ref _failures);

        public long Retries => Interlocked.Read(ref _retries);

        public long BulkheadRejections => Interlocked.Read(ref _bulkheadRejections);

        public long BreakerRejections => Interlocked.Read(ref _breakerRejections);

        /// <summary>
        /// The pipeline for these settings: the current one if they have its shape, else a new one. A
        /// ratio breaker that is open stays open across the rebuild (through the consecutive-failure
        /// breaker, for one break duration), so a threshold change in an outage does not let a flood through.
        /// </summary>
        public PspConnectorPipeline PipelineFor(PspProviderOptions settings)
        {
            var current = _pipeline;
            var shape = PspConnectorPipeline.ShapeOf(settings);
            if (current is not null && current.Shape == shape)
            {
                return current;
            }

            lock (_rebuild)
            {
                current = _pipeline;
                if (current is not null && current.Shape == shape)
                {
                    return current;
                }

                var fresh = new PspConnectorPipeline(settings, time, Breaker, OnRetry, log);
                if (current?.State == CircuitState.Open)
                {
                    Breaker.Trip(settings.BreakDuration);
                }

                _pipeline = fresh;
                if (current is not null)
                {
                    log("pipeline rebuilt for new settings");
                }

                return fresh;
            }
        }

        /// <summary>
        /// When operators reset the PSP since this connector last looked: closes the breaker (attempts admitted before
        /// report into an older generation and change nothing), empties the health window, and drops the pipeline so
        /// the next call builds one with a fresh ratio breaker. Counters are totals and stay.
        /// </summary>
        public void ApplyHealthResets(long resets)
        {
            var applied = Interlocked.Read(ref _healthResets);
            if (resets <= applied || Interlocked.CompareExchange(ref _healthResets, resets, applied) != applied)
            {
                return;
            }

            lock (_rebuild)
            {
                Breaker.Reset();
                Window.Clear();
                _pipeline = null;
            }

            log("reset by an operator: closed, health window emptied");
        }

        public BreakerStates BreakerState(PspProviderOptions settings)
        {
            var rule = Breaker.Current;
            var ratio = _pipeline?.State ?? CircuitState.Closed;
            if (rule == PspConsecutiveFailureBreaker.State.Open || ratio is CircuitState.Open or CircuitState.Isolated)
            {
                return BreakerStates.Open;
            }

            return rule == PspConsecutiveFailureBreaker.State.HalfOpen || ratio == CircuitState.HalfOpen ? BreakerStates.HalfOpen : BreakerStates.Closed;
        }

        /// <summary>Records one attempt's outcome for health and metrics.</summary>
        public void RecordAttempt(string operation, string outcome, double latencyMs, bool failed)
        {
            Interlocked.Increment(ref _requests);
            Window.Record(time.GetUtcNow(), latencyMs, !failed);
            metrics.Attempt(psp, operation, outcome, latencyMs, failed);
            if (failed)
            {
                Interlocked.Increment(ref _failures);
            }
        }

        public void CountBulkheadRejection()
        {
            Interlocked.Increment(ref _bulkheadRejections);
            metrics.BulkheadRejected(psp);
        }

        public void CountBreakerRejection()
        {
            Interlocked.Increment(ref _breakerRejections);
            metrics.BreakerRejected(psp);
        }

        private void OnRetry()
        {
            Interlocked.Increment(ref _retries);
            metrics.Retry(psp);
        }
    }
}
