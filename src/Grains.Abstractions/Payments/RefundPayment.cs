namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.RefundPayment")]
public sealed record RefundPayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long? AmountMinor,
    [property: Id(4)] string? Reason,
    [property: Id(5)] Metadata? Metadata = null) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
