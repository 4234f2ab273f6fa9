namespace Payments.Actors.WebhookEndpoints;

[GenerateSerializer, Immutable, Alias("pa.WebhookDeliveryPage")]
public sealed record WebhookDeliveryPage(
    [property: Id(0)] IReadOnlyList<WebhookDeliverySnapshot> Items,
    [property: Id(1)] bool HasMore);
