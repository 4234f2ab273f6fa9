namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.VoidPayment")]
public sealed record VoidPayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
