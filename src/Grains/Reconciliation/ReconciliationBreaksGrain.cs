using Orleans.Concurrency;
using Payments.Actors.Reconciliation;

namespace Payments.Actors.Grains.Reconciliation;

/// <summary>Operators' reads and actions on reconciliation breaks, straight on PostgreSQL. Stateless: one per silo as needed.</summary>
[StatelessWorker]
public sealed class ReconciliationBreaksGrain(BreakStore store, TimeProvider timeProvider) : Grain, IReconciliationBreaksGrain
{
    public const int LimitMax = 100;

    public Task<BreakPage> ListAsync(BreakListQuery query)
    {
        Invariant.Assert(query.Limit is >= 1 and <= LimitMax, $"List limit {query.Limit} must be within 1..{LimitMax}.");
        return store.ListAsync(query);
    }

    public Task<BreakSnapshot?> GetAsync(Guid id) => store.GetAsync(id);

    public async Task<BreakActionResult> ActAsync(Guid id, string action, string actor, string? reason)
    {
        if (await store.GetAsync(id) is not { } found)
        {
            return new BreakActionResult(null, null);
        }

        var (next, refusal) = BreakLifecycle.Decide(found.Status, action, reason);
        if (next is null)
        {
            return new BreakActionResult(found, refusal);
        }

        var now = timeProvider.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
        return await store.TransitionAsync(id, found.Status, next, action, actor, reason, now)
            ? new BreakActionResult(await store.GetAsync(id), null)
            : new BreakActionResult(await store.GetAsync(id), "The break changed meanwhile (another operator); read it again.");
    }
}
