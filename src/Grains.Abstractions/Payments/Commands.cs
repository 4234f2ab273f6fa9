namespace Payments.Actors.Payments;

/// <summary>
/// Every state-changing command carries the merchant's idempotency key and the request fingerprint
/// computed at the edge; the grain compares fingerprints, it never recomputes them.
/// </summary>
public interface IIdempotentCommand
{
    string MerchantId { get; }
    string IdempotencyKey { get; }
    string Fingerprint { get; }
}

[GenerateSerializer, Immutable, Alias("pa.CreatePayment")]
public sealed record CreatePayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] bool Capture,
    [property: Id(6)] CardDetails? Card,
    [property: Id(7)] string? Reference,
    [property: Id(8)] string? Description,
    [property: Id(9)] string? WalletId = null) : IIdempotentCommand;

[GenerateSerializer, Immutable, Alias("pa.CapturePayment")]
public sealed record CapturePayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long? AmountMinor) : IIdempotentCommand;

[GenerateSerializer, Immutable, Alias("pa.VoidPayment")]
public sealed record VoidPayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint) : IIdempotentCommand;

[GenerateSerializer, Immutable, Alias("pa.RefundPayment")]
public sealed record RefundPayment(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] long? AmountMinor,
    [property: Id(4)] string? Reason) : IIdempotentCommand;
