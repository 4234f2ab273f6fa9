namespace Payments.Actors.Reconciliation;

/// <summary>What an operator's action on a break did: the break after it, or why it was refused (null: no such break).</summary>
[GenerateSerializer, Immutable, Alias("pa.BreakActionResult")]
public sealed record BreakActionResult(
    [property: Id(0)] BreakSnapshot? Break,
    [property: Id(1)] string? Refusal);
