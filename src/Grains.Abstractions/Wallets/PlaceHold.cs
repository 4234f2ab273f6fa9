using Payments.Actors.Payments;

namespace Payments.Actors.Wallets;

/// <summary>Reserves an amount of the available balance until it is captured, released, or it expires.</summary>
[GenerateSerializer, Immutable, Alias("pa.PlaceHold")]
public sealed record PlaceHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] TimeSpan ExpiresIn,
    [property: Id(6)] Metadata? Metadata = null) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
