using Orleans.Concurrency;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>Merchant-scoped listing straight from PostgreSQL (a read replica in production). Stateless: one per silo as needed.</summary>
[StatelessWorker]
public sealed class PaymentQueryGrain(PaymentStore store) : Grain, IPaymentQueryGrain
{
    public const int LimitMax = 100;

    public Task<PaymentPage> ListAsync(PaymentListQuery query)
    {
        Invariant.Assert(query.Limit is >= 1 and <= LimitMax, $"List limit {query.Limit} must be within 1..{LimitMax}.");
        return store.ListAsync(query);
    }
}
