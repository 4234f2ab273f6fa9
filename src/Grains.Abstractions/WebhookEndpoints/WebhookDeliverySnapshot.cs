namespace Payments.Actors.WebhookEndpoints;

/// <summary>One event's delivery to one endpoint: <see cref="Status"/> <c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookDeliverySnapshot")]
public sealed record WebhookDeliverySnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EndpointId,
    [property: Id(2)] Guid EventId,
    [property: Id(3)] string EventType,
    [property: Id(4)] string Status,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset? NextAttemptAt,
    [property: Id(7)] DateTimeOffset? LastAttemptAt,
    [property: Id(8)] int? LastStatusCode,
    [property: Id(9)] string? LastError,
    [property: Id(10)] DateTimeOffset? DeliveredAt,
    [property: Id(11)] DateTimeOffset CreatedAt);
