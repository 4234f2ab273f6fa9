using System.Diagnostics.CodeAnalysis;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>A provider's charges by provider id, bounded like every other store.</summary>
internal sealed class ChargeBook<TCharge>(int capacity) : IChargeBook
    where TCharge : class, ICharge
{
    private readonly BoundedStore<TCharge> _charges = new(capacity);

    public void Add(TCharge charge) => _charges.Add(charge.Id, charge);

    public bool TryGet(string id, [MaybeNullWhen(false)] out TCharge charge) => _charges.TryGet(id, out charge);

    /// <summary>Every charge, in no particular order; admin work only (settlement, disputes).</summary>
    public IEnumerable<TCharge> All => _charges.Values;

    public IEnumerable<TCharge> WithReference(string reference) =>
        _charges.Values.Where(charge => string.Equals(charge.Reference, reference, StringComparison.Ordinal));

    // A linear scan is fine here: only tests and operators call it, and a second index would cost
    // every charge on the hot path.
    public IReadOnlyList<ChargeSummary> Find(string? reference, DateTimeOffset now, int limit)
    {
        var found = new List<ChargeSummary>();
        foreach (var charge in _charges.Values)
        {
            if (reference is not null && !string.Equals(charge.Reference, reference, StringComparison.Ordinal))
            {
                continue;
            }

            found.Add(charge.Summarize(now));
            if (found.Count == limit)
            {
                break;
            }
        }

        found.Sort(static (left, right) => left.CreatedAt.CompareTo(right.CreatedAt));
        return found;
    }

    public IReadOnlyDictionary<string, long> CountByStatus(DateTimeOffset now)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var charge in _charges.Values)
        {
            var status = charge.Summarize(now).Status;
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        return counts;
    }

    public void Clear() => _charges.Clear();
}
