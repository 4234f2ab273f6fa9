using Payments.Actors.Payments;

namespace Payments.Actors.Psp;

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
