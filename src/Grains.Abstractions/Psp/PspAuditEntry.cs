namespace Payments.Actors.Psp;

/// <summary>One audited change of a PSP setting: who, when, which field, old and new value.</summary>
[GenerateSerializer, Immutable, Alias("pa.PspAuditEntry")]
public sealed record PspAuditEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] string Psp,
    [property: Id(2)] string Field,
    [property: Id(3)] string? OldValue,
    [property: Id(4)] string NewValue,
    [property: Id(5)] string ChangedBy,
    [property: Id(6)] DateTimeOffset ChangedAt);
