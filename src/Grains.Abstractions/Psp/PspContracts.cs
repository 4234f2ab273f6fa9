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

[GenerateSerializer]
public enum PspOperation
{
    Authorize = 0,
    Capture = 1,
    Void = 2,
    Refund = 3,
}

/// <summary>
/// One request to a PSP. <see cref="RequestId"/> is our idempotency key at the PSP: sending the same
/// request again (retry, recovery after a crash) can never execute twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspRequest")]
public sealed record PspRequest(
    [property: Id(0)] string RequestId,
    [property: Id(1)] PspOperation Operation,
    [property: Id(2)] Guid PaymentId,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] bool Capture,
    [property: Id(6)] CardDetails? Card,
    [property: Id(7)] string? PspReference);

[GenerateSerializer, Immutable, Alias("pa.PspResult")]
public sealed record PspResult(
    [property: Id(0)] PspOutcome Outcome,
    [property: Id(1)] string? PspReference,
    [property: Id(2)] string? DeclineCode,
    [property: Id(3)] string? Message,
    [property: Id(4)] string? OperationReference = null);

/// <summary>A connector to one PSP: timeouts, retries, breaker and normalisation live behind this interface.</summary>
public interface IPspAdapterGrain : IGrainWithStringKey
{
    Task<PspResult> ExecuteAsync(PspRequest request);

    /// <summary>Asks the PSP what happened to a request we sent before (by our request id).</summary>
    Task<PspResult> InquireAsync(PspRequest request);

    /// <summary>This silo's view of the PSP: breaker state, recent success rate and latency, rejections.</summary>
    Task<PspHealth> GetHealthAsync();
}
