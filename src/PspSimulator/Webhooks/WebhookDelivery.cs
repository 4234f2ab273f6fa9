namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// One copy of a notification on its way: the original, a duplicate or a resend. Each copy is retried on
/// its own; all copies share the notification's id and body. Owned by <see cref="WebhookOutbox"/>'s lock.
/// </summary>
internal sealed class WebhookDelivery(WebhookNotification notification, int copy, long generation, DateTimeOffset notBefore)
{
    public WebhookNotification Notification { get; } = notification;

    public int Copy { get; } = copy;

    /// <summary>The outbox generation it belongs to; a reset starts a new one and stale completions are ignored.</summary>
    public long Generation { get; } = generation;

    /// <summary>Its place in the provider's dispatch order, given when it joins a lane.</summary>
    public long Sequence { get; set; }

    public int Attempts { get; set; }

    /// <summary>No attempt before this instant (the <c>delay_ms</c> fault, then the drawn backoff).</summary>
    public DateTimeOffset NotBefore { get; set; } = notBefore;
}
