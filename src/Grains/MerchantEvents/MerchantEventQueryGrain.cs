using Orleans.Concurrency;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Grains.MerchantEvents;

/// <summary>Merchant-scoped reads of the merchant events straight from PostgreSQL. Stateless: one per silo as needed.</summary>
[StatelessWorker]
public sealed class MerchantEventQueryGrain(MerchantEventStore store, TimeProvider timeProvider) : Grain, IMerchantEventQueryGrain
{
    public const int LimitMax = 100;

    public Task<MerchantEventPage> ListAsync(MerchantEventListQuery query)
    {
        Invariant.Assert(query.Limit is >= 1 and <= LimitMax, $"List limit {query.Limit} must be within 1..{LimitMax}.");
        Invariant.Assert(query.Type is null || MerchantEventTypes.IsPattern(query.Type), $"'{query.Type}' names no event type.");
        return store.ListAsync(query, VisibleFrom());
    }

    public Task<MerchantEventRecord?> GetAsync(string merchantId, Guid eventId) => store.GetAsync(merchantId, eventId, VisibleFrom());

    private DateTimeOffset VisibleFrom() => timeProvider.GetUtcNow() - StorageMaintenance.MerchantEventsRetention;
}
