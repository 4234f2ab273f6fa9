using System.Diagnostics.Metrics;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>The completeness check's instruments on the meter <c>Payments.Actors.Ledger</c>.</summary>
public sealed class LedgerCompletenessMetrics
{
    public const string MeterName = "Payments.Actors.Ledger";

    private readonly Counter<long> _redriven;
    private long _unbooked;
    private double _oldestUnbookedSeconds;
    private long _exhausted;
    private (int Balanced, int Complete, int ChainIntact)? _verifyFailing;

    public LedgerCompletenessMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _redriven = meter.CreateCounter<long>("payments.ledger.redriven_events", "{event}",
            "Money events re-published because the ledger had not booked them.");
        meter.CreateObservableGauge("payments.ledger.unbooked_events", () => Volatile.Read(ref _unbooked), "{event}",
            "Published money events past the completeness watermark that the ledger has not booked (at most one scan's worth).");
        meter.CreateObservableGauge("payments.ledger.oldest_unbooked_age", () => Volatile.Read(ref _oldestUnbookedSeconds), "s",
            "Age of the oldest money event the ledger has not booked.");
        meter.CreateObservableGauge("payments.ledger.redrives_exhausted_events", () => Volatile.Read(ref _exhausted), "{event}",
            "Unbooked money events re-driven as often as allowed: gaps for an operator.");
        meter.CreateObservableGauge("payments.ledger.verify_failing", VerifyFailing, "{property}",
            "1 when the last periodic verify found the property (balanced, complete, chain_intact) broken, else 0.");
    }

    public void Verified(LedgerVerifyReport report) =>
        _verifyFailing = (report.Balanced ? 0 : 1, report.Complete ? 0 : 1, report.ChainIntact ? 0 : 1);

    private IEnumerable<Measurement<int>> VerifyFailing()
    {
        if (_verifyFailing is not { } failing)
        {
            yield break;
        }

        yield return new Measurement<int>(failing.Balanced, new KeyValuePair<string, object?>("property", "balanced"));
        yield return new Measurement<int>(failing.Complete, new KeyValuePair<string, object?>("property", "complete"));
        yield return new Measurement<int>(failing.ChainIntact, new KeyValuePair<string, object?>("property", "chain_intact"));
    }

    public void Redriven(int count) => _redriven.Add(count);

    public void Observe(long unbooked, double oldestUnbookedSeconds, long exhausted)
    {
        Volatile.Write(ref _unbooked, unbooked);
        Volatile.Write(ref _oldestUnbookedSeconds, oldestUnbookedSeconds);
        Volatile.Write(ref _exhausted, exhausted);
    }
}
