namespace Payments.Actors.PspSimulator.Bank;

/// <summary><c>POST /bank/v2/transfers</c>. Members are nullable so missing fields are reported, not defaulted.</summary>
internal sealed record BankTransferRequest(string? TransferRef, string? Direction, BankAccount? Account, BankValue? Value);
