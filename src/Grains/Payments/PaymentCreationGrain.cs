using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Binds a merchant's create key to one payment id. Non-reentrant: concurrent duplicates wait for the
/// first to finish and are then answered by the payment grain's replay. Short-lived by design: once a
/// create has its final answer, that answer is in Redis and PostgreSQL, and the gate deactivates
/// <see cref="GrainLinger.AfterFinal"/> later, long enough for the duplicates sent with it to be answered
/// here (a later one re-reads the binding from <c>idempotency_keys</c>). A pending payment keeps its
/// gate until the age limit, so that retries while the PSP's answer is unknown stay cheap.
/// </summary>
[CollectionAgeLimit("00:01:30")]
public sealed class PaymentCreationGrain(PaymentStore store, TimeProvider timeProvider) : Grain, IPaymentCreationGrain
{
    private KeyBinding? _binding;
    private IGrainTimer? _linger;

    public async Task<PaymentResult> CreateAsync(CreatePayment command)
    {
        var result = await BindAndCreateAsync(command);
        if (result.Code != PaymentResultCode.Pending && _linger is null)
        {
            // Idle gates would otherwise be a large share of the silo's activations.
            _linger = this.DeactivateLater(static () => true);
        }

        return result;
    }

    private async Task<PaymentResult> BindAndCreateAsync(CreatePayment command)
    {
        if (_binding is null)
        {
            // The common case is a key never seen before, so nothing is read: a key already bound
            // (after a Redis flush, a restart, or a lost answer) surfaces as a conflict on the claim,
            // and only then is the binding read from PostgreSQL.
            var id = UuidV7.New(timeProvider.GetUtcNow());
            var result = await GrainFactory.GetGrain<IPaymentGrain>(id).CreateNewAsync(command);
            if (result.Code != PaymentResultCode.OperationInProgress || result.Payment is not null)
            {
                // Bound only when the payment exists; an attempt that failed unsent released its key.
                _binding = result.Payment?.Id == id && result.Code != PaymentResultCode.PspUnavailable
                    ? new KeyBinding(id, "create", command.Fingerprint, command.FieldDigests)
                    : null;
                return result;
            }

            _binding = await store.FindKeyAsync(command.MerchantId, command.IdempotencyKey);
            if (_binding is null)
            {
                // The other claim is gone (expired or released) since: the retry starts afresh.
                return result;
            }
        }

        if (_binding.PaymentId is not { } paymentId || _binding.Operation != "create" || _binding.Fingerprint != command.Fingerprint)
        {
            return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.") with { StoredFieldDigests = _binding.FieldDigests };
        }

        return await GrainFactory.GetGrain<IPaymentGrain>(paymentId).CreateAsync(command);
    }
}
