namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>What a provider does with a card authorisation, before it is put in the provider's own words.</summary>
internal enum CardOutcome
{
    Approved,
    DeclinedDoNotHonor,
    DeclinedInsufficientFunds,
    DeclinedExpiredCard,
    DeclinedAmountLimit,

    /// <summary>The issuer could not be reached: nothing charged, worth retrying.</summary>
    IssuerUnavailable,

    /// <summary>The provider fails with a 5xx and records nothing.</summary>
    ProcessingError,

    /// <summary>The number fails the Luhn check or is not 12-19 digits.</summary>
    InvalidCard,
}
