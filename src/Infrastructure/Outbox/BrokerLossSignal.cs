namespace Payments.Actors.Infrastructure.Outbox;

/// <summary>
/// Raised when Kafka shows that it lost records it had acknowledged: a partition's next offset is lower than one it
/// already gave us (a restarted in-memory broker, an unclean leader election). Events the outbox marked PUBLISHED may
/// then be gone, so the ledger's completeness check re-drives every unbooked one at once instead of after its grace.
/// </summary>
public sealed class BrokerLossSignal
{
    private int _raised;

    public event Action? Raised;

    public void Raise()
    {
        Volatile.Write(ref _raised, 1);
        Raised?.Invoke();
    }

    /// <summary>True once per raise (or more raises before it was taken).</summary>
    public bool Take() => Interlocked.Exchange(ref _raised, 0) == 1;
}
