namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>The notification faults in force for one provider; settings are swapped whole, the counted ones are taken one attempt at a time.</summary>
internal sealed class WebhookFaults
{
    private WebhookFaultSettings _settings = WebhookFaultSettings.None;
    private int _wrongSignatureNext;
    private int _staleTimestampNext;

    public WebhookFaultSettings Settings => Volatile.Read(ref _settings);

    /// <summary>The settings as the admin API shows them, with the counted faults still to come.</summary>
    public WebhookFaultSettings Current => Settings with
    {
        WrongSignatureNext = Volatile.Read(ref _wrongSignatureNext),
        StaleTimestampNext = Volatile.Read(ref _staleTimestampNext),
    };

    public void Set(WebhookFaultSettings settings)
    {
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _wrongSignatureNext, settings.WrongSignatureNext);
        Volatile.Write(ref _staleTimestampNext, settings.StaleTimestampNext);
    }

    public bool TakeWrongSignature() => TakeOne(ref _wrongSignatureNext);

    public bool TakeStaleTimestamp() => TakeOne(ref _staleTimestampNext);

    private static bool TakeOne(ref int remaining)
    {
        var seen = Volatile.Read(ref remaining);
        while (seen > 0)
        {
            var before = Interlocked.CompareExchange(ref remaining, seen - 1, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }

        return false;
    }
}
