namespace Payments.Actors.Reconciliation;

/// <summary>The operators' side of the reconciliation breaks: list, read with the trail, and move through the lifecycle.</summary>
[Alias("pa.IReconciliationBreaksGrain")]
public interface IReconciliationBreaksGrain : IGrainWithIntegerKey
{
    Task<BreakPage> ListAsync(BreakListQuery query);

    Task<BreakSnapshot?> GetAsync(Guid id);

    /// <summary>Applies <paramref name="action"/> (<see cref="BreakActions"/>) by <paramref name="actor"/> with <paramref name="reason"/>.</summary>
    Task<BreakActionResult> ActAsync(Guid id, string action, string actor, string? reason);
}
