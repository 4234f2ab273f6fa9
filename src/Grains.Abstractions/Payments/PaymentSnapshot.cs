namespace Payments.Actors.Payments;

/// <summary>A payment as the API shows it. Immutable: a stored snapshot is what an idempotent replay returns.</summary>
[GenerateSerializer, Immutable, Alias("pa.PaymentSnapshot")]
public sealed record PaymentSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string MerchantId,
    [property: Id(2)] PaymentStatus Status,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] bool Capture,
    [property: Id(6)] long AuthorizedMinor,
    [property: Id(7)] long CapturedMinor,
    [property: Id(8)] long RefundedMinor,
    [property: Id(9)] string Psp,
    [property: Id(10)] string? PspReference,
    [property: Id(11)] string? DeclineCode,
    [property: Id(12)] string? FailureReason,
    [property: Id(13)] string CardBrand,
    [property: Id(14)] string CardLast4,
    [property: Id(15)] string? Reference,
    [property: Id(16)] string? Description,
    [property: Id(17)] string? PendingOperation,
    [property: Id(18)] IReadOnlyList<RefundSnapshot> Refunds,
    [property: Id(19)] DateTimeOffset CreatedAt,
    [property: Id(20)] DateTimeOffset UpdatedAt,
    [property: Id(21)] int Version,
    [property: Id(22)] string? WalletId = null,
    [property: Id(23)] Metadata? Metadata = null,
    [property: Id(24)] IReadOnlyList<DisputeSnapshot>? Disputes = null,
    [property: Id(25)] DateTimeOffset? AuthorizationExpiresAt = null);
