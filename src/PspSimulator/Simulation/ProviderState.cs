using Microsoft.Extensions.Logging;
using Payments.Actors.PspSimulator.Options;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// Everything one simulated provider keeps: recorded requests by idempotency key, its charges,
/// injected faults and counters. Each provider derives from this and adds its own error dialect.
/// </summary>
internal abstract class ProviderState
{
    protected ProviderState(string name, ProviderOptions options, SimulatorOptions limits, TimeProvider time, ILogger logger)
    {
        Name = name;
        HmacSecret = string.IsNullOrWhiteSpace(options.HmacSecret) ? null : options.HmacSecret;
        SignatureToleranceSeconds = limits.SignatureToleranceSeconds;
        SlowCardDelay = TimeSpan.FromMilliseconds(options.SlowCardDelayMs);
        TimeoutHang = TimeSpan.FromMilliseconds(options.TimeoutHangMs);
        Requests = new BoundedStore<IdempotencyEntry>(limits.StoredRequestsMax);
        Time = time;
        Logger = logger;
    }

    public string Name { get; }

    /// <summary>Null when requests to this provider are not signed.</summary>
    public string? HmacSecret { get; }

    public long SignatureToleranceSeconds { get; }

    public TimeSpan SlowCardDelay { get; }

    public TimeSpan TimeoutHang { get; }

    public BoundedStore<IdempotencyEntry> Requests { get; }

    public FaultInjector Faults { get; } = new();

    public ProviderStats Stats { get; } = new();

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public abstract IChargeBook Charges { get; }

    /// <summary>The body this provider sends with an injected or simulated 5xx.</summary>
    public abstract byte[] ServerErrorBody();

    public ProviderStatsSnapshot Snapshot() => Stats.Snapshot(Name, Charges.CountByStatus(Time.GetUtcNow()));

    public void Reset()
    {
        Faults.Reset();
        Requests.Clear();
        Charges.Clear();
        Stats.Reset();
    }
}
