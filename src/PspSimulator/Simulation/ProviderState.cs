using Microsoft.Extensions.Logging;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// Everything one simulated provider keeps: recorded requests by idempotency key, its charges, disputes,
/// injected faults, counters and outgoing notifications. Each provider derives from this and adds its own
/// error dialect and notification bodies.
/// </summary>
internal abstract class ProviderState : IDisposable
{
    private CancellationTokenSource _scheduled = new();

    protected ProviderState(string name, ProviderOptions options, SimulatorOptions limits, TimeProvider time, ILogger logger)
    {
        Name = name;
        HmacSecret = string.IsNullOrWhiteSpace(options.HmacSecret) ? null : options.HmacSecret;
        SignatureToleranceSeconds = limits.SignatureToleranceSeconds;
        SlowCardDelay = TimeSpan.FromMilliseconds(options.SlowCardDelayMs);
        TimeoutHang = TimeSpan.FromMilliseconds(options.TimeoutHangMs);
        SettleAfter = TimeSpan.FromMilliseconds(options.Webhooks.SettleAfterMs);
        Requests = new BoundedStore<IdempotencyEntry>(limits.StoredRequestsMax);
        Disputes = new BoundedStore<Dispute>(limits.StoredChargesMax);
        Settlement = new SettlementLedger(limits.StoredChargesMax);
        Webhooks = new WebhookOutbox(name, options.Webhooks, time, logger);
        Time = time;
        Logger = logger;
    }

    public string Name { get; }

    /// <summary>Null when requests to this provider are not signed.</summary>
    public string? HmacSecret { get; }

    public long SignatureToleranceSeconds { get; }

    public TimeSpan SlowCardDelay { get; }

    public TimeSpan TimeoutHang { get; }

    /// <summary>Captures settle by themselves this long after they are decided; zero when only the admin API settles.</summary>
    public TimeSpan SettleAfter { get; }

    public BoundedStore<IdempotencyEntry> Requests { get; }

    public BoundedStore<Dispute> Disputes { get; }

    /// <summary>Captures, refunds and chargebacks booked, for settlement files; card providers record into it.</summary>
    public SettlementLedger Settlement { get; }

    public FaultInjector Faults { get; } = new();

    public ProviderStats Stats { get; } = new();

    public WebhookOutbox Webhooks { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public abstract IChargeBook Charges { get; }

    /// <summary>The body this provider sends with an injected or simulated 5xx.</summary>
    public abstract byte[] ServerErrorBody();

    public ProviderStatsSnapshot Snapshot() => Stats.Snapshot(Name, Charges.CountByStatus(Time.GetUtcNow()));

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> (a PENDING transfer booking, an automatic settlement), unless reset first.</summary>
    public void ScheduleAfter(TimeSpan delay, Action action) => _ = RunAfterAsync(delay, action, Volatile.Read(ref _scheduled).Token);

    public void Reset()
    {
        // Not disposed: a ScheduleAfter racing with the reset may still read its token; it holds no timer.
        Interlocked.Exchange(ref _scheduled, new CancellationTokenSource()).Cancel();
        Faults.Reset();
        Requests.Clear();
        Charges.Clear();
        Disputes.Clear();
        Settlement.Clear();
        Webhooks.Reset();
        Stats.Reset();
    }

    /// <summary>A chargeback takes the disputed amount back; a won dispute's reversal returns it.</summary>
    protected void RecordDispute(Dispute dispute, string type)
    {
        var sign = type == SettlementTypes.Chargeback ? -1 : 1;
        var at = type == SettlementTypes.Chargeback ? dispute.OpenedAt : Time.GetUtcNow();
        Settlement.Record(new SettlementEntry(at, dispute.Id, dispute.Reference, type, sign * dispute.AmountMinor, dispute.Currency));
    }

    public void Dispose() => Volatile.Read(ref _scheduled).Cancel();

    private async Task RunAfterAsync(TimeSpan delay, Action action, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, Time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Reset or shut down before it was due: the work belongs to forgotten state.
            return;
        }

        try
        {
            action();
        }
        catch (Exception exception)
        {
            // Nobody awaits scheduled work: a bug must at least be seen.
            SimulatorLog.ScheduledWorkFailed(Logger, exception, Name);
        }
    }
}
