using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// A concurrent dictionary that forgets its oldest entries once more than <c>capacity</c> have been added,
/// so a long load test cannot grow the simulator without bound.
/// </summary>
internal sealed class BoundedStore<TValue>
    where TValue : class
{
    private readonly ConcurrentDictionary<string, TValue> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<KeyValuePair<string, TValue>> _arrivals = new();
    private readonly int _capacity;
    private long _arrivalCount;

    public BoundedStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    /// <summary>Enumerates without taking the dictionary's locks; admin endpoints only.</summary>
    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var pair in _items)
            {
                yield return pair.Value;
            }
        }
    }

    public TValue GetOrAdd(string key, TValue candidate)
    {
        var stored = _items.GetOrAdd(key, candidate);
        if (ReferenceEquals(stored, candidate))
        {
            TrackArrival(key, candidate);
        }

        return stored;
    }

    public void Add(string key, TValue value)
    {
        if (!_items.TryAdd(key, value))
        {
            throw new InvalidOperationException($"Key '{key}' is already stored; generated ids must be unique.");
        }

        TrackArrival(key, value);
    }

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value) => _items.TryGetValue(key, out value);

    /// <summary>Removes the entry only if it is still <paramref name="value"/>, so a newer entry under the same key survives.</summary>
    public bool TryRemove(string key, TValue value) => _items.TryRemove(KeyValuePair.Create(key, value));

    public void Clear()
    {
        _items.Clear();
        _arrivals.Clear();
        Interlocked.Exchange(ref _arrivalCount, 0);
    }

    private void TrackArrival(string key, TValue value)
    {
        _arrivals.Enqueue(KeyValuePair.Create(key, value));
        if (Interlocked.Increment(ref _arrivalCount) <= _capacity)
        {
            return;
        }

        // One arrival over the limit evicts one oldest entry; removal matches the value, so an
        // arrival already removed (an unrecorded request) costs nothing but its queue slot.
        if (_arrivals.TryDequeue(out var oldest))
        {
            Interlocked.Decrement(ref _arrivalCount);
            _items.TryRemove(oldest);
        }
    }
}
