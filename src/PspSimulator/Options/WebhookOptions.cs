namespace Payments.Actors.PspSimulator.Options;

/// <summary>
/// How one provider notifies the merchant platform, bound from <c>Providers:&lt;name&gt;:Webhooks</c>
/// (for example <c>Providers__psp-a__Webhooks__Url</c>). Without a <see cref="Url"/> nothing is sent.
/// </summary>
public sealed class WebhookOptions
{
    public const int SecretLengthMin = 16;
    public const string KeyIdDefault = "k1";
    public const int RetryBaseMsDefault = 500;
    public const int RetryMaxMsDefault = 30_000;
    public const int MaxAttemptsDefault = 12;
    public const int TimeoutMsDefault = 10_000;
    public const int QueueCapacityDefault = 100_000;
    public const int StoredNotificationsMaxDefault = 100_000;
    public const int MaxInFlightDefault = 1;

    /// <summary>Where notifications are posted, e.g. <c>http://127.0.0.1:8080/v1/webhooks/psp/psp-a</c>.</summary>
    public string? Url { get; set; }

    /// <summary>The signing secret (used as its UTF-8 bytes); required with <see cref="Url"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>The secret being rotated out: PSP A and PSP B sign with both while it is set.</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>The bank names the key that signed in its header; the bank signs with the current key only.</summary>
    public string KeyId { get; set; } = KeyIdDefault;

    /// <summary>The first retry waits up to this long; every further retry doubles it (full jitter).</summary>
    public int RetryBaseMs { get; set; } = RetryBaseMsDefault;

    /// <summary>No retry waits longer than this.</summary>
    public int RetryMaxMs { get; set; } = RetryMaxMsDefault;

    /// <summary>Attempts per copy of a notification, the first one included; then it is given up.</summary>
    public int MaxAttempts { get; set; } = MaxAttemptsDefault;

    /// <summary>How long one attempt waits for the platform's answer.</summary>
    public int TimeoutMs { get; set; } = TimeoutMsDefault;

    /// <summary>Captures settle by themselves this long after they are decided; 0 (the default) means only <c>POST /admin/settle</c> settles.</summary>
    public int SettleAfterMs { get; set; }

    /// <summary>Notifications waiting to be delivered (held and retried ones included); beyond it new ones are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = QueueCapacityDefault;

    /// <summary>Notifications kept for <c>GET /admin/webhooks/{provider}/notifications</c> and resend; the oldest are forgotten first.</summary>
    public int StoredNotificationsMax { get; set; } = StoredNotificationsMaxDefault;

    /// <summary>Attempts in flight at once; 1 keeps the arrival order equal to the decision order.</summary>
    public int MaxInFlight { get; set; } = MaxInFlightDefault;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}
