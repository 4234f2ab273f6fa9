namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// When a failed delivery is tried again: after attempt n (1-based) a uniformly random delay in
/// [0, min(max, base·2^(n-1))] ("full jitter"), so receivers that come back are not hit by every sender at once.
/// </summary>
public static class WebhookBackoff
{
    public static TimeSpan Ceiling(int attempt, TimeSpan delayBase, TimeSpan delayMax)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = delayBase.Ticks * Math.Pow(2, doublings);
        return ceiling >= delayMax.Ticks ? delayMax : TimeSpan.FromTicks((long)ceiling);
    }

    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan delayBase, TimeSpan delayMax, double random) =>
        TimeSpan.FromTicks((long)(Ceiling(attempt, delayBase, delayMax).Ticks * Math.Clamp(random, 0, 1)));
}
