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

    /// <summary>
    /// One digest per request field (a JSON object, field name to hex digest, never a value), stored with the key so that
    /// a later refusal can name the fields that differ; null when the edge sent none. It never decides a replay.
    /// </summary>
    string? FieldDigests { get; }
}
