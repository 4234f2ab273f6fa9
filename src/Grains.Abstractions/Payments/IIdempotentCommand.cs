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
