using Payments.Actors.Grains.Options;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Durability;

/// <summary>
/// What every aggregate grain that calls a counterparty (a PSP, the Bank) does around an unknown outcome,
/// written once: the state is loaded lazily by the first call; a write whose commit outcome is unknown
/// deactivates the activation, so that the next call reloads the truth; an operation whose answer is unknown
/// is asked about again on a timer with exponential backoff; and a reminder, the durable backstop, brings the
/// grain back after a silo dies while work is outstanding (grain timers die with the silo).
/// Subclasses decide (a pure decider), and say how to load, write and resolve what is pending.
/// </summary>
public abstract class DurableAggregateGrain(TimeProvider timeProvider, PaymentsOptions timings, string reminderName) : Grain
{
    /// <summary>The reminder only has to wake a grain whose silo died; the inquiry timer does the fast work.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private Task? _loaded;
    private IGrainTimer? _inquiryTimer;

    /// <summary>Inquiries made since the last answer: the backoff's exponent.</summary>
    protected int InquiryAttempts { get; private set; }

    /// <summary>
    /// Whether this activation registered (or was woken by) the reminder. Only then is it looked up and removed
    /// once idle: looking costs a round trip through the reminder service. A reminder this activation does not
    /// know of (left by a silo that died) fires once more, finds nothing to do, and is removed then.
    /// </summary>
    protected bool ReminderRegistered { get; private set; }

    protected PaymentsOptions Timings => timings;

    protected TimeProvider Clock => timeProvider;

    protected string ReminderName => reminderName;

    /// <summary>The first load from PostgreSQL, shared by every call that needs the state.</summary>
    protected Task EnsureLoadedAsync() => _loaded ??= LoadAndResumeAsync();

    /// <summary>For an id minted a moment ago: nothing to read. An interleaved load already started is waited for, not raced.</summary>
    protected Task SkipFirstLoadAsync() => _loaded ??= Task.CompletedTask;

    /// <summary>Loads the durable state and picks up the work a previous activation left (pending answers, timers).</summary>
    protected abstract Task LoadAndResumeAsync();

    /// <summary>Commits one write unit in one transaction.</summary>
    protected abstract Task<WriteOutcome> CommitAsync(IReadOnlyList<SqlStatement> unit);

    /// <summary>Asks the counterparty about every operation whose answer is unknown, and applies the answers.</summary>
    protected abstract Task ResolvePendingAsync(CancellationToken cancellationToken);

    protected async Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit)
    {
        try
        {
            return await CommitAsync(unit);
        }
        catch
        {
            // The commit's outcome is unknown: this activation's memory may be wrong, so the next call reloads.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Now, truncated to PostgreSQL's microsecond precision so memory and the database agree.</summary>
    protected DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>
    /// Calls the counterparty. A call that throws may or may not have reached it: that is an unknown outcome,
    /// never a failure, and it is logged by <paramref name="logFailure"/>.
    /// </summary>
    protected static async Task<PspResult> AskAsync(Func<Task<PspResult>> call, Action<Exception> logFailure)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is not InvariantViolationException)
        {
            logFailure(exception);
            return new PspResult(PspOutcome.Unknown, null, null, exception.GetType().Name);
        }
    }

    /// <summary>"Never heard of it" is only proof once the request can no longer be in flight; before that it is unknown.</summary>
    protected PspResult WithinNotFoundGrace(PspResult inquiry, DateTimeOffset startedAt, string counterparty) =>
        inquiry.Outcome == PspOutcome.NotFound && Now() - startedAt < timings.PspNotFoundGrace
            ? new PspResult(PspOutcome.Unknown, null, null, $"Not found at {counterparty} yet; within the grace period.")
            : inquiry;

    /// <summary>Arms the next inquiry with exponential backoff; false when one is armed already.</summary>
    protected bool ScheduleInquiry()
    {
        if (_inquiryTimer is not null)
        {
            return false;
        }

        var delay = InquiryBackoff.Delay(InquiryAttempts, timings.PendingInquiryDelayMin, timings.PendingInquiryDelayMax);
        _inquiryTimer = this.RegisterGrainTimer(ResolvePendingAsync,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        return true;
    }

    /// <summary>An inquiry round starts: the armed timer (if any) is spent, and the next one waits longer.</summary>
    protected void BeginInquiryRound()
    {
        CancelInquiryTimer();
        InquiryAttempts++;
    }

    protected void CancelInquiryTimer()
    {
        _inquiryTimer?.Dispose();
        _inquiryTimer = null;
    }

    /// <summary>Nothing is waiting any more: the next unknown outcome is asked about soon again.</summary>
    protected void ResetInquiryBackoff() => InquiryAttempts = 0;

    /// <summary>The reminder fired, or a previous activation left work (and so its reminder) behind.</summary>
    protected void MarkReminderRegistered() => ReminderRegistered = true;

    /// <summary>Registers the reminder before the work it backs up is committed.</summary>
    protected async Task EnsureReminderAsync()
    {
        if (!ReminderRegistered)
        {
            await this.RegisterOrUpdateReminder(reminderName, ReminderPeriod, ReminderPeriod);
            ReminderRegistered = true;
        }
    }

    /// <summary>Registers the reminder without waiting: the work is committed already and the inquiry timer is armed.</summary>
    protected void RegisterReminderInBackground()
    {
        ReminderRegistered = true;
        _ = this.RegisterOrUpdateReminder(reminderName, ReminderPeriod, ReminderPeriod);
    }

    protected async Task UnregisterReminderAsync()
    {
        var reminder = await this.GetReminder(reminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        ReminderRegistered = false;
    }
}
