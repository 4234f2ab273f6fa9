using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Payments.Actors;

/// <summary>
/// A merchant's own key-value pairs on a payment, a refund, a wallet operation or a hold (Stripe's <c>metadata</c>):
/// strings to strings, set when the object is created and never changed. Kept in ordinal key order, so that every
/// rendering of one object (its create answer, a replay, a read, a list, an event) is the same bytes whatever order
/// the request or a jsonb column had. The edge enforces <see cref="MetadataLimits"/>; here it is a value. Its values are
/// merchant data: <see cref="ToString"/> shows only how many there are, so no log line carries one.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.Metadata")]
[JsonConverter(typeof(MetadataJsonConverter))]
public sealed class Metadata : IReadOnlyDictionary<string, string>, IEquatable<Metadata>
{
    [Id(0)]
    private readonly KeyValuePair<string, string>[] _entries;

    private Metadata(KeyValuePair<string, string>[] entries) => _entries = entries;

    /// <summary>No pairs: what an object created without metadata shows.</summary>
    public static Metadata Empty { get; } = new([]);

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<string> Values => _entries.Select(e => e.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No metadata key '{key}'.");

    /// <summary>The pairs in ordinal key order (a later duplicate key wins); null when there are none, so "none" is stored as SQL NULL.</summary>
    public static Metadata? Of(IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        if (pairs is null)
        {
            return null;
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            sorted[key] = value;
        }

        return sorted.Count == 0 ? null : new Metadata([.. sorted]);
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Metadata? other)
    {
        if (other is null || other._entries.Length != _entries.Length)
        {
            return false;
        }

        for (var i = 0; i < _entries.Length; i++)
        {
            if (!string.Equals(_entries[i].Key, other._entries[i].Key, StringComparison.Ordinal)
                || !string.Equals(_entries[i].Value, other._entries[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Metadata);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _entries)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    // Merchant data: a record that holds metadata prints this, never a value.
    public override string ToString() => $"Metadata {{ {Count} keys }}";

    private int IndexOf(string key)
    {
        int low = 0, high = _entries.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = string.CompareOrdinal(_entries[middle].Key, key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
