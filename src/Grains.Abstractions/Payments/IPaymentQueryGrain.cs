namespace Payments.Actors.Payments;

/// <summary>Read-side queries over the payments table (merchant-scoped listing).</summary>
public interface IPaymentQueryGrain : IGrainWithIntegerKey
{
    Task<PaymentPage> ListAsync(PaymentListQuery query);
}

[GenerateSerializer, Immutable, Alias("pa.PaymentListQuery")]
public sealed record PaymentListQuery(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] int Limit,
    [property: Id(2)] DateTimeOffset? StartingAfterCreatedAt,
    [property: Id(3)] Guid? StartingAfterId,
    [property: Id(4)] PaymentStatus? Status);

[GenerateSerializer, Immutable, Alias("pa.PaymentPage")]
public sealed record PaymentPage(
    [property: Id(0)] IReadOnlyList<PaymentSnapshot> Items,
    [property: Id(1)] bool HasMore);
