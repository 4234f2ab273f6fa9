namespace Payments.Actors.Reconciliation;

/// <summary>One step of a break's audit trail: who did what, when and why.</summary>
[GenerateSerializer, Immutable, Alias("pa.BreakTrailEntry")]
public sealed record BreakTrailEntry(
    [property: Id(0)] string Action,
    [property: Id(1)] string? FromStatus,
    [property: Id(2)] string ToStatus,
    [property: Id(3)] string Actor,
    [property: Id(4)] string? Reason,
    [property: Id(5)] DateTimeOffset At);
