using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// A PSP operation that has been recorded durably but not answered yet. It is persisted before the
/// PSP is called, so after a crash or a timeout we know exactly which request (by
/// <see cref="RequestId"/>, our idempotency key at the PSP) to ask about.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PendingOperation")]
public sealed record PendingOperation(
    [property: Id(0)] PspOperation Operation,
    [property: Id(1)] string RequestId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string IdempotencyKey,
    [property: Id(4)] Guid? RefundId,
    [property: Id(5)] string? Reason,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] Metadata? Metadata = null)
{
    public string WireName => Operation switch
    {
        PspOperation.Authorize => "authorize",
        PspOperation.Capture => "capture",
        PspOperation.Void => "void",
        PspOperation.Refund => "refund",
        _ => throw new ArgumentOutOfRangeException(nameof(Operation), Operation, null),
    };
}
