namespace Payments.Actors.PspSimulator.Bank;

/// <summary>What the Bank does with a transfer.</summary>
internal enum BankOutcome
{
    Booked,
    Pending,
    Rejected,

    /// <summary>The Bank fails with a 5xx and records nothing.</summary>
    ProcessingError,
}
