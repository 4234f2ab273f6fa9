namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Whether a charge took a dispute, and why not.</summary>
internal enum DisputeCheck
{
    Opened,
    ChargeNotFound,
    NotCaptured,
    AlreadyDisputed,
    InvalidAmount,
}
