namespace Payments.Actors.Payments;

/// <summary>Disputes newest first; <see cref="HasMore"/>: more follow in the page's direction.</summary>
[GenerateSerializer, Immutable, Alias("pa.DisputePage")]
public sealed record DisputePage(
    [property: Id(0)] IReadOnlyList<DisputeSnapshot> Items,
    [property: Id(1)] bool HasMore);
