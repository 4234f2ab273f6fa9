namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// The money movements one card provider booked, for its settlement files; bounded like every other store,
/// the oldest forgotten first.
/// </summary>
internal sealed class SettlementLedger(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<SettlementEntry> _entries = new();

    public void Record(SettlementEntry entry)
    {
        lock (_gate)
        {
            if (_entries.Count == capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    /// <summary>Every entry whose UTC day is <paramref name="valueDate"/>.</summary>
    public IReadOnlyList<SettlementEntry> On(DateOnly valueDate)
    {
        lock (_gate)
        {
            return _entries.Where(entry => DateOnly.FromDateTime(entry.At.UtcDateTime) == valueDate).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
