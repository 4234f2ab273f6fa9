namespace Payments.Actors.Reconciliation;

/// <summary>A reconciliation break as operators see it; <see cref="Trail"/> is filled when one break is read.</summary>
[GenerateSerializer, Immutable, Alias("pa.BreakSnapshot")]
public sealed record BreakSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Psp,
    [property: Id(3)] Guid? PaymentId,
    [property: Id(4)] string? PspReference,
    [property: Id(5)] DateOnly? ValueDate,
    [property: Id(6)] long? ExpectedMinor,
    [property: Id(7)] long? ActualMinor,
    [property: Id(8)] string? Currency,
    [property: Id(9)] string Detail,
    [property: Id(10)] string Status,
    [property: Id(11)] DateTimeOffset OpenedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] DateTimeOffset? ClosedAt,
    [property: Id(14)] string? ClosedBy,
    [property: Id(15)] string? ResolutionReason,
    [property: Id(16)] IReadOnlyList<BreakTrailEntry>? Trail = null);
