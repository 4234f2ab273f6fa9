using System.Diagnostics.Metrics;

namespace Payments.Actors.Infrastructure.Outbox;

/// <summary>Outbox instruments on the meter <c>Payments.Actors.Outbox</c> (names fixed in deploy/observability/README.md).</summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "Payments.Actors.Outbox";

    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _brokerLosses;
    private long _pending;
    private double _oldestAgeSeconds;
    private long _parked;

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("payments.outbox.published", "{event}", "Outbox events Kafka acknowledged.");
        _failed = meter.CreateCounter<long>("payments.outbox.publish_failures", "{event}", "Publish attempts Kafka did not acknowledge.");
        _brokerLosses = meter.CreateCounter<long>("payments.outbox.broker_losses", "{loss}", "Times Kafka acknowledged an offset at or below one it had acknowledged before: it lost records.");
        meter.CreateObservableGauge("payments.outbox.pending_events", () => Volatile.Read(ref _pending), "{event}", "Outbox events not yet published.");
        meter.CreateObservableGauge("payments.outbox.oldest_pending_age", () => Volatile.Read(ref _oldestAgeSeconds), "s", "Age of the oldest unpublished outbox event.");
        meter.CreateObservableGauge("payments.outbox.parked_events", () => Volatile.Read(ref _parked), "{event}", "Outbox events parked after repeated failures.");
    }

    public void Published(int count) => _published.Add(count);

    public void Failed(int count) => _failed.Add(count);

    public void BrokerLoss() => _brokerLosses.Add(1);

    public void Observe(long pending, double oldestAgeSeconds, long parked)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _oldestAgeSeconds, oldestAgeSeconds);
        Volatile.Write(ref _parked, parked);
    }
}
