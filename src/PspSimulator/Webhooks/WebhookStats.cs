namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// <c>GET /admin/webhooks/{provider}</c>. <c>Queued</c> counts the copies not yet delivered or given up (held
/// and in-flight ones included); attempts are counted once each, whatever their copy.
/// </summary>
internal sealed record WebhookStats(
    string Provider,
    bool Enabled,
    string? Url,
    long Queued,
    long Held,
    long InFlight,
    long SentAttempts,
    long Delivered,
    long FailedAttempts,
    long GivenUp,
    long Dropped,
    long Notifications);
