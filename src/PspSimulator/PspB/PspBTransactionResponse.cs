using System.Text.Json.Serialization;
namespace Payments.Actors.PspSimulator.PspB;

/// <summary>
/// PSP B's envelope for every transaction operation. <c>ResponseCode</c> is the outcome of this
/// operation; <c>State</c> is the transaction's state after it.
/// </summary>
internal sealed record PspBTransactionResponse(
    string TxnId,
    string MerchantTxnId,
    string ResponseCode,
    string ResponseText,
    string? AuthCode,
    string State,
    long AmountCents,
    string Ccy,
    long SettledCents,
    long CreditedCents,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreditRef = null);
