using System.Diagnostics.Metrics;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Payments the PSP has not answered long after the inquiry schedule should have settled them, on the meter
/// <c>Payments.Actors.Payments</c> (as the pending sweeper last counted them): the <c>PaymentsPendingOverdue</c> alert.
/// </summary>
public sealed class PendingPaymentMetrics
{
    public const string MeterName = "Payments.Actors.Payments";

    private long _overdue;
    private double _oldestSeconds;
    private readonly Counter<long> _expired;

    public PendingPaymentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("payments.pending.overdue", () => Volatile.Read(ref _overdue), "{payment}",
            "Payments waiting for a PSP's answer longer than Payments:PendingOverdueAfter.");
        meter.CreateObservableGauge("payments.pending.oldest_overdue_age", () => Volatile.Read(ref _oldestSeconds), "s",
            "How long the oldest overdue payment has waited for its PSP's answer.");
        _expired = meter.CreateCounter<long>("payments.authorizations.expired_swept", "{payment}",
            "Expired authorisations the sweeper found not yet voided (their reminder missed them).");
    }

    public void Observe(long overdue, double oldestSeconds)
    {
        Volatile.Write(ref _overdue, overdue);
        Volatile.Write(ref _oldestSeconds, oldestSeconds);
    }

    public void ExpiredSwept(int count) => _expired.Add(count);
}
