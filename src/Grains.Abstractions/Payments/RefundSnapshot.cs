namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.RefundSnapshot")]
public sealed record RefundSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] string Status,
    [property: Id(3)] string? PspReference,
    [property: Id(4)] string? Reason,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] Metadata? Metadata = null);
