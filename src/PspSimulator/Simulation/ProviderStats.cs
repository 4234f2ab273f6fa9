namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Request counters for one provider; lock-free so they cost nothing under load.</summary>
internal sealed class ProviderStats
{
    private long _received;
    private long _processed;
    private long _replayed;
    private long _unrecorded;
    private long _rejected;
    private long _faulted;
    private long _aborted;
    private long _timeoutsInjected;
    private long _inquiries;

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountProcessed() => Interlocked.Increment(ref _processed);

    public void CountReplayed() => Interlocked.Increment(ref _replayed);

    public void CountUnrecorded() => Interlocked.Increment(ref _unrecorded);

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    public void CountFaulted() => Interlocked.Increment(ref _faulted);

    public void CountAborted() => Interlocked.Increment(ref _aborted);

    public void CountTimeoutInjected() => Interlocked.Increment(ref _timeoutsInjected);

    public void CountInquiry() => Interlocked.Increment(ref _inquiries);

    public ProviderStatsSnapshot Snapshot(string provider, IReadOnlyDictionary<string, long> chargesByStatus) => new(
        provider,
        RequestsReceived: Interlocked.Read(ref _received),
        RequestsProcessed: Interlocked.Read(ref _processed),
        RequestsReplayed: Interlocked.Read(ref _replayed),
        RequestsUnrecorded: Interlocked.Read(ref _unrecorded),
        RequestsRejected: Interlocked.Read(ref _rejected),
        RequestsFaulted: Interlocked.Read(ref _faulted),
        RequestsAborted: Interlocked.Read(ref _aborted),
        TimeoutsInjected: Interlocked.Read(ref _timeoutsInjected),
        Inquiries: Interlocked.Read(ref _inquiries),
        ChargesTotal: chargesByStatus.Values.Sum(),
        ChargesByStatus: chargesByStatus);

    public void Reset()
    {
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _processed, 0);
        Interlocked.Exchange(ref _replayed, 0);
        Interlocked.Exchange(ref _unrecorded, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _faulted, 0);
        Interlocked.Exchange(ref _aborted, 0);
        Interlocked.Exchange(ref _timeoutsInjected, 0);
        Interlocked.Exchange(ref _inquiries, 0);
    }
}
