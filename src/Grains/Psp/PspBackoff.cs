namespace Payments.Actors.Grains.Psp;

/// <summary>The seed's retry backoff (Appendix B): <c>base * 2^i + jitter(0..jitterMax)</c> before retry i (0-based).</summary>
public static class PspBackoff
{
    public static TimeSpan Delay(int retryIndex, TimeSpan backoffBase, TimeSpan jitterMax, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retryIndex);
        ArgumentOutOfRangeException.ThrowIfLessThan(random01, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(random01, 1);
        return backoffBase * (1L << Math.Min(retryIndex, 16)) + jitterMax * random01;
    }
}
