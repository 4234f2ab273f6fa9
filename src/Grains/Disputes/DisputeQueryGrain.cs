using Orleans.Concurrency;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Disputes;

/// <summary>Merchant-scoped reads of the disputes straight from PostgreSQL. Stateless: one per silo as needed.</summary>
[StatelessWorker]
public sealed class DisputeQueryGrain(DisputeStore store) : Grain, IDisputeQueryGrain
{
    public const int LimitMax = 100;

    public Task<DisputePage> ListAsync(DisputeListQuery query)
    {
        Invariant.Assert(query.Limit is >= 1 and <= LimitMax, $"List limit {query.Limit} must be within 1..{LimitMax}.");
        Invariant.Assert(query.Status is null || DisputeStatuses.All.Contains(query.Status), $"'{query.Status}' is not a dispute status.");
        return store.ListAsync(query);
    }

    public Task<DisputeSnapshot?> GetAsync(string merchantId, Guid disputeId) => store.GetAsync(merchantId, disputeId);
}
