namespace Payments.Actors.Events;

/// <summary>Read side of the merchant events: merchant-scoped, within their retention.</summary>
[Alias("pa.IMerchantEventQueryGrain")]
public interface IMerchantEventQueryGrain : IGrainWithIntegerKey
{
    Task<MerchantEventPage> ListAsync(MerchantEventListQuery query);

    /// <summary>The merchant's event, or null when it is unknown, another merchant's or past its retention.</summary>
    Task<MerchantEventRecord?> GetAsync(string merchantId, Guid eventId);
}
