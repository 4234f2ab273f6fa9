using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.ApiFront.Apis.WebhookEndpoints;

/// <summary>Body of <c>POST /v1/webhook_endpoints</c>. <c>enabled_events</c>: event types, families (<c>payment.*</c>) or <c>*</c>.</summary>
public sealed record CreateWebhookEndpointRequest(string? Url, List<string>? EnabledEvents, string? Description = null,
    Dictionary<string, string?>? Metadata = null);

/// <summary>Body of <c>POST /v1/webhook_endpoints/{id}/rotate_secret</c>: how long the current secret keeps signing (default a day).</summary>
public sealed record RotateWebhookSecretRequest(long? ExpiresInSeconds);

/// <summary>Body of <c>POST .../deliveries/{delivery_id}/resend</c>: nothing to say, but an empty object is accepted.</summary>
public sealed record ResendWebhookDeliveryRequest;

/// <summary>A webhook endpoint. <c>secret</c> is only in the answers of its creation and of a rotation; null elsewhere.</summary>
public sealed record WebhookEndpointResponse(
    Guid Id,
    string Object,
    string Url,
    IReadOnlyList<string> EnabledEvents,
    string Status,
    string? Description,
    Metadata Metadata,
    string? Secret,
    DateTimeOffset? PreviousSecretExpiresAt,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpointSnapshot e) => new(e.Id, "webhook_endpoint", e.Url, e.EnabledEvents, e.Status,
        e.Description, e.Metadata ?? Metadata.Empty, e.Secret, e.PreviousSecretExpiresAt, e.DisabledReason, e.CreatedAt, e.UpdatedAt);
}

public sealed record WebhookEndpointListResponse(string Object, IReadOnlyList<WebhookEndpointResponse> Data, bool HasMore, string? NextCursor);

/// <summary>One event's delivery to one endpoint: <c>pending</c> (with <c>next_attempt_at</c>), <c>delivered</c> or <c>failed</c>.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    string Object,
    Guid EndpointId,
    Guid EventId,
    string EventType,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt)
{
    public static WebhookDeliveryResponse From(WebhookDeliverySnapshot d) => new(d.Id, "webhook_delivery", d.EndpointId, d.EventId, d.EventType,
        d.Status, d.Attempts, d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt, d.CreatedAt);
}

public sealed record WebhookDeliveryListResponse(string Object, IReadOnlyList<WebhookDeliveryResponse> Data, bool HasMore, string? NextCursor);
