namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The bounds a PSP's resilience and routing settings must stay within, checked at start-up and on
/// every operator change (the effective settings, configuration with overrides, must pass).
/// </summary>
public static class PspResilienceLimits
{
    public const int RetryAttemptsMaxLimit = 5;
    public static readonly TimeSpan AdapterBudgetTotalLimit = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan ConnectTimeoutLimit = TimeSpan.FromSeconds(30);
    public const int BulkheadConcurrencyMaxLimit = 10_000;
    public const int BulkheadQueueMaxLimit = 100_000;
    public const int BreakerConsecutiveFailuresLimit = 10_000;
    public const int BreakerThroughputMinLimit = 100_000;
    public const int RoutingPriorityLimit = 1_000;

    /// <summary>One problem per violated rule: the options property it is about (the first one, when it relates two) and why.</summary>
    public static IEnumerable<(string Property, string Problem)> Check(PspProviderOptions settings) =>
        CheckTimings(settings).Concat(CheckBreakers(settings)).Concat(CheckCapacity(settings));

    private static IEnumerable<(string Property, string Problem)> CheckTimings(PspProviderOptions settings)
    {
        if (settings.ConnectTimeout <= TimeSpan.Zero || settings.ConnectTimeout > ConnectTimeoutLimit)
        {
            yield return (nameof(settings.ConnectTimeout), $"must be positive and at most {ConnectTimeoutLimit.TotalSeconds:0} s.");
        }

        if (settings.RequestTimeout <= TimeSpan.Zero)
        {
            yield return (nameof(settings.RequestTimeout), "must be positive.");
        }

        if (settings.RetryAttemptsMax is < 0 or > RetryAttemptsMaxLimit)
        {
            yield return (nameof(settings.RetryAttemptsMax), $"must be between 0 and {RetryAttemptsMaxLimit}.");
        }

        if (settings.RetryBackoffBase < TimeSpan.Zero || settings.RetryJitterMax < TimeSpan.Zero)
        {
            yield return (nameof(settings.RetryBackoffBase), "and RetryJitterMax must not be negative.");
        }

        if (settings.AdapterBudgetTotal <= TimeSpan.Zero || settings.AdapterBudgetTotal > AdapterBudgetTotalLimit)
        {
            yield return (nameof(settings.AdapterBudgetTotal), $"must be positive and at most {AdapterBudgetTotalLimit.TotalSeconds:0} s (seed §2).");
        }

        if (settings.RequestTimeout > settings.AdapterBudgetTotal)
        {
            yield return (nameof(settings.RequestTimeout), "must not exceed AdapterBudgetTotal.");
        }
    }

    private static IEnumerable<(string Property, string Problem)> CheckBreakers(PspProviderOptions settings)
    {
        if (settings.BreakerFailureRatio is <= 0 or > 1 || double.IsNaN(settings.BreakerFailureRatio))
        {
            yield return (nameof(settings.BreakerFailureRatio), "must be in (0, 1].");
        }

        if (settings.BreakerSamplingDuration < TimeSpan.FromSeconds(1) || settings.BreakerSamplingDuration > TimeSpan.FromHours(1))
        {
            yield return (nameof(settings.BreakerSamplingDuration), "must be between 1 s and 1 h.");
        }

        if (settings.BreakerThroughputMin is < 2 or > BreakerThroughputMinLimit)
        {
            yield return (nameof(settings.BreakerThroughputMin), $"must be between 2 and {BreakerThroughputMinLimit}.");
        }

        if (settings.BreakerConsecutiveFailures is < 1 or > BreakerConsecutiveFailuresLimit)
        {
            yield return (nameof(settings.BreakerConsecutiveFailures), $"must be between 1 and {BreakerConsecutiveFailuresLimit}.");
        }

        if (settings.BreakDuration < TimeSpan.FromSeconds(1) || settings.BreakDuration > TimeSpan.FromMinutes(5))
        {
            yield return (nameof(settings.BreakDuration), "must be between 1 s and 5 min.");
        }
    }

    private static IEnumerable<(string Property, string Problem)> CheckCapacity(PspProviderOptions settings)
    {
        if (settings.HealthWindow < TimeSpan.FromSeconds(1) || settings.HealthWindow > TimeSpan.FromHours(1))
        {
            yield return (nameof(settings.HealthWindow), "must be between 1 s and 1 h.");
        }

        if (settings.BulkheadConcurrencyMax is < 1 or > BulkheadConcurrencyMaxLimit)
        {
            yield return (nameof(settings.BulkheadConcurrencyMax), $"must be between 1 and {BulkheadConcurrencyMaxLimit}.");
        }

        if (settings.BulkheadQueueMax is < 0 or > BulkheadQueueMaxLimit)
        {
            yield return (nameof(settings.BulkheadQueueMax), $"must be between 0 and {BulkheadQueueMaxLimit}.");
        }

        if (settings.RoutingPriority is < 0 or > RoutingPriorityLimit)
        {
            yield return (nameof(settings.RoutingPriority), $"must be between 0 and {RoutingPriorityLimit}.");
        }
    }
}
