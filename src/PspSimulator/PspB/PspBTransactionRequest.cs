using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary><c>POST /psp-b/api/transactions</c>. <see cref="ToString"/> masks the card: card data never reaches a log.</summary>
internal sealed record PspBTransactionRequest(
    string? MerchantTxnId,
    long? AmountCents,
    string? Ccy,
    string? TxnType,
    string? Pan,
    string? Expiry,
    string? Cvv)
{
    public override string ToString() =>
        $"PspBTransactionRequest {{ MerchantTxnId = {MerchantTxnId}, AmountCents = {AmountCents}, Ccy = {Ccy}, TxnType = {TxnType}, Pan = {TestCards.Mask(Pan)}, Expiry = {Expiry}, Cvv = *** }}";
}
