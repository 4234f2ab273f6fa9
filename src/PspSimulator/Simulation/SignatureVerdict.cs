namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The outcome of checking an <c>X-Signature</c> header.</summary>
public enum SignatureVerdict
{
    Valid,
    Missing,
    Malformed,
    Stale,
    Mismatch,
}
