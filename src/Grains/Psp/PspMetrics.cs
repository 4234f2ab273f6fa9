using System.Diagnostics.Metrics;

namespace Payments.Actors.Grains.Psp;

/// <summary>Per-PSP instruments on the meter <c>Payments.Actors.Psp</c>; every one is tagged with <c>psp</c>.</summary>
public sealed class PspMetrics
{
    public const string MeterName = "Payments.Actors.Psp";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _bulkheadRejections;
    private readonly Counter<long> _breakerRejections;
    private readonly Histogram<double> _latency;

    public PspMetrics(IMeterFactory meterFactory, Func<IEnumerable<Measurement<int>>> breakerStates, Func<IEnumerable<Measurement<double>>> settings)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("psp.requests", "{request}", "Attempts sent to a PSP, by outcome.");
        _errors = meter.CreateCounter<long>("psp.errors", "{request}", "Attempts that failed: timeouts, transport errors, 5xx.");
        _retries = meter.CreateCounter<long>("psp.retries", "{retry}", "Retries of a request under the same request id.");
        _bulkheadRejections = meter.CreateCounter<long>("psp.bulkhead.rejections", "{request}", "Calls refused because the connector's bulkhead was full.");
        _breakerRejections = meter.CreateCounter<long>("psp.breaker.rejections", "{request}", "Calls refused because the circuit breaker was open.");
        _latency = meter.CreateHistogram<double>("psp.request.duration", "ms", "Duration of one attempt.");
        meter.CreateObservableGauge("psp.breaker.state", breakerStates, "{state}", "0 closed, 1 half-open, 2 open (by the failure ratio or the consecutive-failure rule).");
        meter.CreateObservableGauge("psp.setting", settings, null,
            "The thresholds in force on this silo (configuration with operator overrides), tagged setting: durations in ms, ratios as fractions.");
    }

    public void Attempt(string psp, string operation, string outcome, double latencyMs, bool failed)
    {
        var tags = new KeyValuePair<string, object?>[] { new("psp", psp), new("operation", operation), new("outcome", outcome) };
        _requests.Add(1, tags);
        _latency.Record(latencyMs, new KeyValuePair<string, object?>("psp", psp), new KeyValuePair<string, object?>("operation", operation));
        if (failed)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("psp", psp), new KeyValuePair<string, object?>("operation", operation));
        }
    }

    public void Retry(string psp) => _retries.Add(1, new KeyValuePair<string, object?>("psp", psp));

    public void BulkheadRejected(string psp) => _bulkheadRejections.Add(1, new KeyValuePair<string, object?>("psp", psp));

    public void BreakerRejected(string psp) => _breakerRejections.Add(1, new KeyValuePair<string, object?>("psp", psp));
}
