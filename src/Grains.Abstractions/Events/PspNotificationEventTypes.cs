namespace Payments.Actors.Events;

/// <summary>
/// The event types of <see cref="EventTopics.WebhooksIn"/> (agg_type <see cref="AggregateTypes.PspNotification"/>).
/// <see cref="Received"/> carries a <see cref="Webhooks.PspNotification"/>; <see cref="Unparseable"/> an
/// <see cref="UnparseablePspNotificationV1"/> (signed by the provider, stored, but not understood: processing sends it to
/// the dead-letter topic with its reason).
/// </summary>
public static class PspNotificationEventTypes
{
    public const string Received = "psp_notification.received";
    public const string Unparseable = "psp_notification.unparseable";

    /// <summary>Every event type of webhooks.in.</summary>
    public static IReadOnlyList<string> All { get; } = [Received, Unparseable];
}
