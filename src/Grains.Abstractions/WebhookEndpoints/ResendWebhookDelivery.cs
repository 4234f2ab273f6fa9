using Payments.Actors.Payments;

namespace Payments.Actors.WebhookEndpoints;

/// <summary>Schedules one more attempt of a delivery, now, whatever its state.</summary>
[GenerateSerializer, Immutable, Alias("pa.ResendWebhookDelivery")]
public sealed record ResendWebhookDelivery(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid EndpointId,
    [property: Id(4)] Guid DeliveryId) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
