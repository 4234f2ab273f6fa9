namespace Payments.Actors.Reconciliation;

/// <summary>A page of breaks, newest first, older than <see cref="StartingAfter"/> (a break id); optionally by status, kind, PSP.</summary>
[GenerateSerializer, Immutable, Alias("pa.BreakListQuery")]
public sealed record BreakListQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] Guid? StartingAfter = null,
    [property: Id(2)] string? Status = null,
    [property: Id(3)] string? Kind = null,
    [property: Id(4)] string? Psp = null);
