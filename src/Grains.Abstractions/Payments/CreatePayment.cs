namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.CreatePayment")]
public sealed record CreatePayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] bool Capture,
    [property: Id(6)] CardDetails? Card,
    [property: Id(7)] string? Reference,
    [property: Id(8)] string? Description,
    [property: Id(9)] string? WalletId = null,
    [property: Id(10)] Metadata? Metadata = null) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
