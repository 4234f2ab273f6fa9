namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// Faults injected into one provider's notifications (<c>PUT /admin/webhook-faults/{provider}</c>); missing
/// fields take these defaults. <c>WrongSignatureNext</c> and <c>StaleTimestampNext</c> count attempts.
/// </summary>
/// <param name="Duplicates">Extra copies of each new notification, same id and body, delivered one after the other.</param>
/// <param name="OutOfOrder">New notifications are held until <c>POST /admin/webhooks/{provider}/flush</c> (or until this is switched off), then released newest first.</param>
/// <param name="DelayMs">Each new notification waits this long before its first attempt.</param>
/// <param name="WrongSignatureNext">The next N attempts are signed with a wrong secret.</param>
/// <param name="StaleTimestampNext">The next N attempts carry a timestamp ten minutes old (correctly signed).</param>
/// <param name="Paused">Notifications queue up and nothing is sent until this is switched off.</param>
internal sealed record WebhookFaultSettings(
    int Duplicates = 0,
    bool OutOfOrder = false,
    int DelayMs = 0,
    int WrongSignatureNext = 0,
    int StaleTimestampNext = 0,
    bool Paused = false)
{
    public const int DuplicatesMax = 100;
    public const int DelayMsMax = 300_000;
    public const int NextMax = 1_000_000;

    public static WebhookFaultSettings None { get; } = new();

    /// <summary>Returns why the settings are invalid, or null when they are valid.</summary>
    public string? FindProblem()
    {
        if (Duplicates is < 0 or > DuplicatesMax)
        {
            return $"duplicates must be between 0 and {DuplicatesMax} (got {Duplicates}).";
        }

        if (DelayMs is < 0 or > DelayMsMax)
        {
            return $"delay_ms must be between 0 and {DelayMsMax} (got {DelayMs}).";
        }

        if (WrongSignatureNext is < 0 or > NextMax || StaleTimestampNext is < 0 or > NextMax)
        {
            return $"wrong_signature_next and stale_timestamp_next must be between 0 and {NextMax} (got {WrongSignatureNext}, {StaleTimestampNext}).";
        }

        return null;
    }
}
