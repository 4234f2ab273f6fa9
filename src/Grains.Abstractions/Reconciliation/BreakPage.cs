namespace Payments.Actors.Reconciliation;

/// <summary>Breaks newest first; <see cref="HasMore"/>: older ones follow.</summary>
[GenerateSerializer, Immutable, Alias("pa.BreakPage")]
public sealed record BreakPage(
    [property: Id(0)] IReadOnlyList<BreakSnapshot> Items,
    [property: Id(1)] bool HasMore);
