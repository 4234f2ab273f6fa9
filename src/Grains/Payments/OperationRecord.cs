using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// The idempotency record of one merchant key that named an operation on this payment.
/// <see cref="Result"/> is null while the operation waits for the PSP; once set, every replay returns it.
/// <see cref="FieldDigests"/> (null for a key stored before they existed) name, in a refusal, the fields that differ.
/// </summary>
public sealed record OperationRecord(string IdempotencyKey, string Fingerprint, string Operation, PaymentResult? Result, DateTimeOffset ExpiresAt,
    string? FieldDigests = null);
