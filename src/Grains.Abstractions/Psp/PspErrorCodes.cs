namespace Payments.Actors.Psp;

/// <summary>
/// Codes of <see cref="PspOutcome.Rejected"/> results that our adapter produces itself. Each one
/// proves the request never reached the PSP, so routing may offer the payment to the next PSP.
/// </summary>
public static class PspErrorCodes
{
    /// <summary>The connection was refused: nothing was sent.</summary>
    public const string Unreachable = "PSP_UNREACHABLE";

    /// <summary>The circuit breaker is open: the call was not attempted.</summary>
    public const string CircuitOpen = "PSP_CIRCUIT_OPEN";

    /// <summary>The connector's bulkhead (concurrency and queue) is full: the call was not attempted.</summary>
    public const string BulkheadFull = "PSP_BULKHEAD_FULL";

    /// <summary>An operator switched the PSP off.</summary>
    public const string Disabled = "PSP_DISABLED";

    /// <summary>No connector is configured under that name.</summary>
    public const string NotConfigured = "PSP_NOT_CONFIGURED";

    /// <summary>True when the code proves that the PSP never saw the request, so another PSP may be tried.</summary>
    public static bool AllowsFailover(PspResult result) =>
        result.Outcome == PspOutcome.Rejected
        && result.DeclineCode is Unreachable or CircuitOpen or BulkheadFull or Disabled or NotConfigured;

    /// <summary>True when the refusal is about our capacity or the PSP's health, not the payment: the merchant may retry.</summary>
    public static bool IsTransient(string? code) => code is Unreachable or CircuitOpen or BulkheadFull or Disabled;
}
