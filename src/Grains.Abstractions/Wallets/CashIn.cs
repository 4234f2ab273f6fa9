using Payments.Actors.Payments;

namespace Payments.Actors.Wallets;

/// <summary>Moves money from the holder's bank account into the wallet. The first cash-in creates the wallet and fixes its currency.</summary>
[GenerateSerializer, Immutable, Alias("pa.CashIn")]
public sealed record CashIn(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string? Iban,
    [property: Id(6)] Metadata? Metadata = null) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }

    public override string ToString() => $"CashIn {{ MerchantId = {MerchantId}, AmountMinor = {AmountMinor}, Currency = {Currency} }}";
}
