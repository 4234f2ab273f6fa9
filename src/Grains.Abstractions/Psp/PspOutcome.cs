using Payments.Actors.Payments;

namespace Payments.Actors.Psp;

/// <summary>What a PSP call provably did, normalised across connectors.</summary>
[GenerateSerializer]
public enum PspOutcome
{
    Approved = 0,
    Declined = 1,
    /// <summary>The PSP provably did not execute the request (refused connection, explicit pre-processing error).</summary>
    Rejected = 2,
    /// <summary>Ambiguous: timed out or errored after the request may have reached the PSP. Never assume failure.</summary>
    Unknown = 3,
    /// <summary>Status inquiry only: the PSP has no record of the request, so it was never executed.</summary>
    NotFound = 4,
}
