namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>
/// Which offsets of one partition may be committed: one past the longest prefix of handed-out records that Orleans
/// reported delivered. A record that was never reported delivered (its consumer kept failing, the silo stopped) holds
/// the commit position at its own offset, so a restart redelivers it and everything after it: never skipped, at least
/// once. Offsets need not be contiguous (transaction markers and compaction leave gaps). Not thread-safe.
/// </summary>
internal sealed class DeliveryWatermark
{
    private readonly Queue<long> _handedOut = new();
    private readonly HashSet<long> _delivered = [];
    private long _lastHandedOut = -1;

    /// <summary>The offset a restarted reader must start at, or null while nothing is committable yet.</summary>
    public long? CommitPosition { get; private set; }

    /// <summary>Records handed out and not yet committable.</summary>
    public int Pending => _handedOut.Count;

    /// <summary>The last offset handed out in this generation, or -1.</summary>
    public long LastHandedOut => _lastHandedOut;

    /// <summary>Counts the partition's lives: a new one starts when the broker lost the log and offsets begin again.</summary>
    public int Generation { get; private set; }

    /// <summary>
    /// The broker lost the partition's log (offsets went backwards): forget everything of the old life. Records handed
    /// out before and still in flight report into the old generation and move nothing; the group's offsets start over.
    /// </summary>
    public void Restart()
    {
        _handedOut.Clear();
        _delivered.Clear();
        _lastHandedOut = -1;
        CommitPosition = null;
        Generation++;
    }

    public void HandedOut(long offset)
    {
        if (offset <= _lastHandedOut)
        {
            throw new InvalidOperationException($"Offsets must increase: {offset} after {_lastHandedOut}.");
        }

        _lastHandedOut = offset;
        _handedOut.Enqueue(offset);
    }

    /// <summary>Marks a handed-out offset delivered; returns true if the commit position moved.</summary>
    public bool Delivered(long offset, int generation = 0)
    {
        if (generation != Generation || !_handedOut.TryPeek(out var head) || offset < head || offset > _lastHandedOut)
        {
            // Not ours (already committable, or from another reader's life): nothing to do.
            return false;
        }

        _delivered.Add(offset);
        var moved = false;
        while (_handedOut.TryPeek(out head) && _delivered.Remove(head))
        {
            _handedOut.Dequeue();
            CommitPosition = head + 1;
            moved = true;
        }

        return moved;
    }
}
