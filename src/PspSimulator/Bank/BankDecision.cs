namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The outcome for a transfer, the reason code when rejected, and whether the answer is held back.</summary>
internal readonly record struct BankDecision(BankOutcome Outcome, string? ReasonCode, bool Slow);
