namespace Payments.Actors.Wallets;

[GenerateSerializer, Immutable, Alias("pa.WalletHoldSnapshot")]
public sealed record WalletHoldSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string WalletId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] long CapturedMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string State,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] Guid? PaymentId,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] Metadata? Metadata = null);
