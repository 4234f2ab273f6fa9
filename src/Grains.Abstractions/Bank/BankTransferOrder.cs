namespace Payments.Actors.Bank;

/// <summary>
/// One transfer we ask the Bank to make. <see cref="RequestId"/> is our idempotency key at the Bank:
/// sending it again (retry, recovery) never moves money twice. The IBAN lives only in memory on its
/// way to the Bank; <see cref="ToString"/> masks it so that no log line carries an account number.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.BankTransferOrder")]
public sealed record BankTransferOrder(
    [property: Id(0)] string RequestId,
    [property: Id(1)] BankTransferKind Kind,
    [property: Id(2)] string TransferRef,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string? Iban)
{
    public override string ToString() =>
        $"BankTransferOrder {{ RequestId = {RequestId}, Kind = {Kind}, AmountMinor = {AmountMinor}, Currency = {Currency}, Iban = {Mask(Iban)} }}";

    public static string Mask(string? iban) => iban is { Length: >= 8 } ? string.Concat(iban.AsSpan(0, 2), "****", iban.AsSpan(iban.Length - 4)) : "****";
}
