namespace Payments.Actors.PspSimulator.Bank;

/// <summary>A money amount as the Bank writes it: a decimal string in major units, e.g. <c>"12.34"</c> EUR.</summary>
internal sealed record BankValue(string? Amount, string? Currency);
