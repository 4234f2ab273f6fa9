using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// What a merchant's key already means for a payment, as pure functions of its idempotency records and the key's
/// binding: a replay of a finished operation, a report of one still waiting for the PSP, or a refusal.
/// </summary>
public static class PaymentReplay
{
    /// <summary>Null when the key names no operation on this payment yet.</summary>
    public static PaymentResult? Replay(IReadOnlyDictionary<string, OperationRecord> operations, PaymentState? state, IIdempotentCommand command,
        string operation)
    {
        if (!operations.TryGetValue(command.IdempotencyKey, out var record))
        {
            return null;
        }

        if (record.Fingerprint != command.Fingerprint || record.Operation != operation)
        {
            return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different {record.Operation} request.")
                with { StoredFieldDigests = record.FieldDigests };
        }

        return record.Result is { } stored
            ? stored with { Replayed = true }
            : new PaymentResult(PaymentResultCode.Pending, state?.ToSnapshot(), $"The {operation} is still waiting for the PSP's answer.", Replayed: true);
    }

    /// <summary>
    /// A write unit conflicted (a version check or the key claim lost) and the reloaded records replay nothing:
    /// <paramref name="binding"/>, the key as stored now, says whether someone else holds it.
    /// </summary>
    public static PaymentResult AfterConflict(KeyBinding? binding, Guid paymentId, PaymentState? state, IIdempotentCommand command, string operation)
    {
        if (binding is not null && binding.PaymentId != paymentId && operation == "create" && binding.Operation == "create"
            && binding.Fingerprint == command.Fingerprint && state is null)
        {
            // The same create was already accepted under another id: the caller forwards it there.
            return PaymentResult.Rejected(PaymentResultCode.OperationInProgress, "This create is bound to another payment.");
        }

        if (binding is not null && (binding.PaymentId != paymentId || binding.Operation != operation || binding.Fingerprint != command.Fingerprint))
        {
            return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.") with { StoredFieldDigests = binding.FieldDigests };
        }

        return PaymentResult.Rejected(PaymentResultCode.OperationInProgress, "The payment changed concurrently; retry.", state?.ToSnapshot());
    }
}
