namespace Payments.Actors.WebhookEndpoints;

/// <summary>
/// One merchant's webhook endpoints (the key is the merchant id): the activation serialises their changes, so the
/// per-merchant limit holds; reads go to PostgreSQL, where every silo's dispatcher records deliveries and breakers.
/// </summary>
[Alias("pa.IWebhookEndpointsGrain")]
public interface IWebhookEndpointsGrain : IGrainWithStringKey
{
    Task<WebhookEndpointResult> CreateAsync(CreateWebhookEndpoint command);

    Task<IReadOnlyList<WebhookEndpointSnapshot>> ListAsync();

    Task<WebhookEndpointSnapshot?> GetAsync(Guid endpointId);

    /// <summary>Deletes the endpoint and its deliveries; false when there was no such endpoint.</summary>
    Task<bool> DeleteAsync(Guid endpointId);

    Task<WebhookEndpointResult> RotateSecretAsync(RotateWebhookSecret command);

    /// <summary>The endpoint's deliveries, newest first, older than <paramref name="startingAfter"/>; null when the endpoint is unknown.</summary>
    Task<WebhookDeliveryPage?> ListDeliveriesAsync(Guid endpointId, int limit, Guid? startingAfter);

    Task<WebhookEndpointResult> ResendAsync(ResendWebhookDelivery command);
}
