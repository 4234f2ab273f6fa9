using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>GET /admin/webhooks/{provider}/notifications</c>: at most <see cref="WebhookAdminApi.NotificationsListedMax"/>, oldest first.</summary>
internal sealed record WebhookNotificationList(string Provider, string? Reference, IReadOnlyList<WebhookNotificationView> Notifications);
