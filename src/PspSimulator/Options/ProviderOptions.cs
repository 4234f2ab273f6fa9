namespace Payments.Actors.PspSimulator.Options;

/// <summary>
/// One provider's settings, bound from <c>Providers:&lt;name&gt;</c> (for example the environment
/// variable <c>Providers__psp-a__HmacSecret</c>).
/// </summary>
public sealed class ProviderOptions
{
    public const string SectionName = "Providers";
    public const int SlowCardDelayMsDefault = 10_000;
    public const int TimeoutHangMsDefault = 30_000;
    public const int PendingDurationMsDefault = 5_000;
    public const int DelayMsMax = 300_000;
    public const int HmacSecretLengthMin = 16;

    /// <summary>When set, every request to the provider must carry a valid <c>X-Signature</c>.</summary>
    public string? HmacSecret { get; set; }

    /// <summary>How long the slow test card and slow IBAN hold their (already recorded) answer.</summary>
    public int SlowCardDelayMs { get; set; } = SlowCardDelayMsDefault;

    /// <summary>How long the <c>timeout_rate</c> fault hangs after recording the outcome.</summary>
    public int TimeoutHangMs { get; set; } = TimeoutHangMsDefault;

    /// <summary>How long a PENDING bank transfer stays pending before it reads as BOOKED.</summary>
    public int PendingDurationMs { get; set; } = PendingDurationMsDefault;

    /// <summary>Notifications to the merchant platform; off unless <c>Webhooks:Url</c> is set.</summary>
    public WebhookOptions Webhooks { get; set; } = new();
}
