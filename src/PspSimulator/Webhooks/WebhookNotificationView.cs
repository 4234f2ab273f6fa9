using System.Text.Json;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary><c>GET /admin/webhooks/{provider}/notifications</c>: one notification, its copies and attempts, and the body exactly as sent.</summary>
internal sealed record WebhookNotificationView(
    string Id,
    string Type,
    string Reference,
    DateTimeOffset CreatedAt,
    int Copies,
    int Attempts,
    int? LastStatus,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    int CopiesDelivered,
    int CopiesGivenUp,
    IReadOnlyList<WebhookAttempt> History,
    JsonElement Body);
