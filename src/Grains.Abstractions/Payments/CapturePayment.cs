namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.CapturePayment")]
public sealed record CapturePayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long? AmountMinor) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
