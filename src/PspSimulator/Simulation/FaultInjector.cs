namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The faults in force for one provider. Settings are swapped whole, so readers never lock.</summary>
internal sealed class FaultInjector
{
    private FaultSettings _settings = FaultSettings.None;
    private int _failNext;

    /// <summary>The settings for the hot path; read once per request.</summary>
    public FaultSettings Settings => Volatile.Read(ref _settings);

    /// <summary>The settings as the admin API shows them, with the failures still to come.</summary>
    public FaultSettings Current => Settings with { FailNext = Volatile.Read(ref _failNext) };

    public static bool Roll(double rate) => rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);

    public static TimeSpan Latency(FaultSettings settings)
    {
        if (settings.LatencyMs == 0 && settings.LatencyJitterMs == 0)
        {
            return TimeSpan.Zero;
        }

        var jitter = settings.LatencyJitterMs == 0 ? 0 : Random.Shared.Next(settings.LatencyJitterMs + 1);
        return TimeSpan.FromMilliseconds(settings.LatencyMs + jitter);
    }

    public void Set(FaultSettings settings)
    {
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _failNext, settings.FailNext);
    }

    public void Reset() => Set(FaultSettings.None);

    /// <summary>Whether this command fails without being processed: first the counted failures, then the rate.</summary>
    public bool ShouldFail(FaultSettings settings)
    {
        var remaining = Volatile.Read(ref _failNext);
        while (remaining > 0)
        {
            var seen = Interlocked.CompareExchange(ref _failNext, remaining - 1, remaining);
            if (seen == remaining)
            {
                return true;
            }

            remaining = seen;
        }

        return Roll(settings.ErrorRate);
    }
}
