using Payments.Actors.PspSimulator.Options;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>Exponential backoff with full jitter: after attempt n the wait is uniform in [0, min(RetryMaxMs, RetryBaseMs · 2^(n-1))].</summary>
internal static class WebhookBackoff
{
    public static long CapMs(WebhookOptions options, int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        return Math.Min(options.RetryMaxMs, (long)options.RetryBaseMs << exponent);
    }

    public static int DrawMs(WebhookOptions options, int attempts) => (int)Random.Shared.NextInt64(0, CapMs(options, attempts) + 1);
}
