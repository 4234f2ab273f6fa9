namespace Payments.Actors.Payments;

/// <summary>Read-side queries over the payments table (merchant-scoped listing).</summary>
[Alias("pa.IPaymentQueryGrain")]
public interface IPaymentQueryGrain : IGrainWithIntegerKey
{
    Task<PaymentPage> ListAsync(PaymentListQuery query);
}
