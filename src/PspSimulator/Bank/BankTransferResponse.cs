namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank's transfer object. <c>Value.Amount</c> is written with exactly the currency's decimals.</summary>
internal sealed record BankTransferResponse(
    string BankTransferId,
    string TransferRef,
    string Direction,
    string State,
    string? ReasonCode,
    BankValue Value);
