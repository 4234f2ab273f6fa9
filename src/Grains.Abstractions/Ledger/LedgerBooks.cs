using System.Text;

namespace Payments.Actors.Ledger;

/// <summary>How ledger writers are spread: a fixed number of book shards, chosen by a stable hash.</summary>
public static class LedgerBooks
{
    /// <summary>Ledger grain activations that share the write load.</summary>
    public const int ShardCount = 4;

    /// <summary>Events one <see cref="ILedgerGrain.AppendAsync"/> call may carry.</summary>
    public const int AppendEventsMax = 1000;

    /// <summary>The shard for a Kafka message key (payment or wallet id): stable across processes and restarts (FNV-1a, not string.GetHashCode).</summary>
    public static long ShardOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash % ShardCount;
    }
}
