using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// Binds a merchant's create key to one payment id. Non-reentrant: concurrent duplicates wait for the
/// first to finish and are then answered by the payment grain's replay. Short-lived by design; a
/// later duplicate re-reads the binding from <c>idempotency_keys</c>.
/// </summary>
[CollectionAgeLimit("00:02:00")]
public sealed class PaymentCreationGrain(PaymentStore store, TimeProvider timeProvider) : Grain, IPaymentCreationGrain
{
    private KeyBinding? _binding;

    public async Task<PaymentResult> CreateAsync(CreatePayment command)
    {
        _binding ??= await store.FindKeyAsync(command.MerchantId, command.IdempotencyKey);
        if (_binding is { } binding)
        {
            if (binding.Operation != "create" || binding.Fingerprint != command.Fingerprint)
            {
                return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                    $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.");
            }

            return await GrainFactory.GetGrain<IPaymentGrain>(binding.PaymentId).CreateAsync(command);
        }

        var id = UuidV7.New(timeProvider.GetUtcNow());
        _binding = new KeyBinding(id, "create", command.Fingerprint);
        var result = await GrainFactory.GetGrain<IPaymentGrain>(id).CreateAsync(command);
        if (result.Code == PaymentResultCode.OperationInProgress && result.Payment is null)
        {
            // Another activation claimed the key first; the next attempt reads who won.
            _binding = null;
        }
        else if (result.Code == PaymentResultCode.PspUnavailable)
        {
            // The attempt failed unsent and released the key: a retry starts a new payment.
            _binding = null;
        }

        return result;
    }
}
