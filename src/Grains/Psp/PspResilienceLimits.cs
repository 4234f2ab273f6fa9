namespace Payments.Actors.Grains.Psp;

/// <summary>The bounds a PSP's resilience settings must stay within, checked at start-up (and on any later change).</summary>
public static class PspResilienceLimits
{
    public const int RetryAttemptsMaxLimit = 5;
    public static readonly TimeSpan AdapterBudgetTotalLimit = TimeSpan.FromSeconds(8);
    public const int BulkheadConcurrencyMaxLimit = 10_000;
    public const int BulkheadQueueMaxLimit = 100_000;

    public static IEnumerable<string> Check(string provider, PspProviderOptions settings)
    {
        var prefix = $"Psp:Providers:{provider}";
        if (settings.RetryAttemptsMax is < 0 or > RetryAttemptsMaxLimit)
        {
            yield return $"{prefix}:RetryAttemptsMax must be between 0 and {RetryAttemptsMaxLimit}.";
        }

        if (settings.RetryBackoffBase < TimeSpan.Zero || settings.RetryJitterMax < TimeSpan.Zero)
        {
            yield return $"{prefix}: retry backoff and jitter must not be negative.";
        }

        if (settings.AdapterBudgetTotal <= TimeSpan.Zero || settings.AdapterBudgetTotal > AdapterBudgetTotalLimit)
        {
            yield return $"{prefix}:AdapterBudgetTotal must be positive and at most {AdapterBudgetTotalLimit.TotalSeconds:0} s (seed §2).";
        }

        if (settings.RequestTimeout > settings.AdapterBudgetTotal)
        {
            yield return $"{prefix}:RequestTimeout must not exceed AdapterBudgetTotal.";
        }

        if (settings.BreakerFailureRatio is <= 0 or > 1)
        {
            yield return $"{prefix}:BreakerFailureRatio must be in (0, 1].";
        }

        if (settings.BreakerSamplingDuration < TimeSpan.FromSeconds(1))
        {
            yield return $"{prefix}:BreakerSamplingDuration must be at least 1 s.";
        }

        if (settings.BreakerThroughputMin < 2)
        {
            yield return $"{prefix}:BreakerThroughputMin must be at least 2.";
        }

        if (settings.BreakerConsecutiveFailures < 1)
        {
            yield return $"{prefix}:BreakerConsecutiveFailures must be at least 1.";
        }

        if (settings.BreakDuration < TimeSpan.FromSeconds(1) || settings.BreakDuration > TimeSpan.FromMinutes(5))
        {
            yield return $"{prefix}:BreakDuration must be between 1 s and 5 min.";
        }

        if (settings.HealthWindow < TimeSpan.FromSeconds(1) || settings.HealthWindow > TimeSpan.FromHours(1))
        {
            yield return $"{prefix}:HealthWindow must be between 1 s and 1 h.";
        }

        if (settings.BulkheadConcurrencyMax is < 1 or > BulkheadConcurrencyMaxLimit)
        {
            yield return $"{prefix}:BulkheadConcurrencyMax must be between 1 and {BulkheadConcurrencyMaxLimit}.";
        }

        if (settings.BulkheadQueueMax is < 0 or > BulkheadQueueMaxLimit)
        {
            yield return $"{prefix}:BulkheadQueueMax must be between 0 and {BulkheadQueueMaxLimit}.";
        }
    }
}
