namespace Payments.Actors.Payments;

/// <summary>
/// Keyed by <c>{merchant id}/{idempotency key}</c>: turns a create request into exactly one payment id,
/// however many duplicates arrive and whichever silo they reach.
/// </summary>
[Alias("pa.IPaymentCreationGrain")]
public interface IPaymentCreationGrain : IGrainWithStringKey
{
    Task<PaymentResult> CreateAsync(CreatePayment command);

    public static string KeyOf(string merchantId, string idempotencyKey) => $"{merchantId}/{idempotencyKey}";
}
