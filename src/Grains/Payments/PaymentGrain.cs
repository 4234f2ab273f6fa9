using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Orleans.Runtime;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// One payment. The grain loads, decides (<see cref="PaymentDecider"/>), persists, then calls the PSP;
/// the activation serialises every operation on the payment, so it is the lock (ARCHITECTURE.md §2).
/// Nothing is acknowledged before it is durable: the intent of every PSP call is committed first,
/// and its outcome is committed together with the idempotency record and the outbox rows.
/// Live activations cost throughput (the dashboard walks every activation each second, BENCHMARKS.md, runs K
/// and N), so a payment with nothing left to wait for (not pending, not an authorisation awaiting its capture)
/// deactivates <see cref="GrainLinger.AfterFinal"/> after its last answer, and any other idle payment after
/// two minutes. A later call reloads it, operations and idempotency records included, in one round trip.
/// </summary>
[CollectionAgeLimit("00:02:00")]
public sealed partial class PaymentGrain(
    PaymentStore store,
    PspRouter router,
    TimeProvider timeProvider,
    IOptions<PaymentsOptions> options,
    ILogger<PaymentGrain> logger) : Grain, IPaymentGrain, IRemindable
{
    private const string PendingReminder = "resolve-pending";

    private readonly PaymentsOptions _options = options.Value;
    private readonly Dictionary<string, OperationRecord> _operations = new(StringComparer.Ordinal);
    private PaymentState? _state;
    private IGrainTimer? _inquiryTimer;
    private IGrainTimer? _linger;
    private int _inquiryAttempts;

    /// <summary>Whether this activation registered (or was woken by) the pending reminder. Only then is it looked up and
    /// removed when the payment settles: a payment that never waited for a PSP answer has none, and looking costs a
    /// PostgreSQL round trip through the reminder service on every payment. A reminder this activation does not know
    /// of (left by a silo that died) fires once more, finds nothing pending, and is removed then.</summary>
    private bool _reminderRegistered;

    /// <summary>The first load from PostgreSQL, shared by every call that needs the state; skipped for a freshly minted id.</summary>
    private Task? _loaded;

    private Guid Id => this.GetPrimaryKey();

    public async Task<PaymentSnapshot?> GetAsync(string merchantId)
    {
        await EnsureLoadedAsync();
        return _state is { } state && state.MerchantId == merchantId ? state.ToSnapshot() : null;
    }

    public async Task ResumeAsync()
    {
        await EnsureLoadedAsync();
        if (_state?.Pending is not null)
        {
            ScheduleInquiry();
        }
    }

    public async Task<PaymentResult> CreateAsync(CreatePayment command)
    {
        await EnsureLoadedAsync();
        return await CreateLoadedAsync(command);
    }

    public async Task<PaymentResult> CreateNewAsync(CreatePayment command)
    {
        // The id was minted a moment ago by the caller: there is nothing to read. (Should an
        // interleaved read have started a load already, wait for it rather than race it.)
        await (_loaded ??= Task.CompletedTask);
        return await CreateLoadedAsync(command);
    }

    private async Task<PaymentResult> CreateLoadedAsync(CreatePayment command)
    {
        if (TryReplay(command, "create", out var replay))
        {
            return replay;
        }

        if (_state is not null)
        {
            return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused, "This payment was created with another idempotency key.");
        }

        Invariant.Assert(UuidV7.IsVersion7(Id), $"Payment ids are UUIDv7; {Id} is not.");
        var createdAt = UuidV7.TimestampOf(Id);
        // A wallet payment is the wallet's to answer: no routing, no failover to a card PSP.
        IReadOnlyList<string> route = command.WalletId is null
            ? router.Route(command.MerchantId, command.Currency, command.AmountMinor)
            : [WalletPayments.Psp];
        var decision = PaymentDecider.StartCreate(Id, command, route.Count > 0 ? route[0] : _options.DefaultPsp, createdAt);
        var state = decision.NewState!;
        var unit = new List<SqlStatement>
        {
            PaymentStore.InsertPayment(state),
            PaymentStore.ClaimKey(command.MerchantId, command.IdempotencyKey, command.Fingerprint, "create", Id, createdAt, _options.IdempotencyKeyTtl),
        };
        AddOutbox(unit, state, decision.Events, createdAt);
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, "create");
        }

        _state = state;
        _operations[command.IdempotencyKey] = new OperationRecord(command.IdempotencyKey, command.Fingerprint, "create", null, createdAt + _options.IdempotencyKeyTtl);
        var pending = state.Pending!;
        var request = new PspRequest(pending.RequestId, PspOperation.Authorize, Id, state.AmountMinor, state.Currency, state.Capture, command.Card, null);
        var result = await CallPspAsync(request);

        // Fail over only when the PSP provably never saw the request; an ambiguous outcome stays with its PSP.
        for (var next = 1; next < route.Count && PspErrorCodes.AllowsFailover(result); next++)
        {
            if (!await RerouteAsync(route[next], result))
            {
                break;
            }

            result = await CallPspAsync(request);
        }

        return await CompleteAsync(result);
    }

    /// <summary>Commits the switch to <paramref name="psp"/> before anything is sent there.</summary>
    private async Task<bool> RerouteAsync(string psp, PspResult refusal)
    {
        var state = _state!;
        var next = PaymentDecider.Reroute(state, psp, Now());
        if (await WriteAsync([PaymentStore.UpdatePayment(next, state.Version)]) == WriteOutcome.Conflict)
        {
            return false;
        }

        LogRerouted(logger, Id, state.Psp, refusal.DeclineCode, psp);
        _state = next;
        return true;
    }

    public Task<PaymentResult> CaptureAsync(CapturePayment command) =>
        StartFollowUpAsync(command, "capture", (state, now) => PaymentDecider.StartCapture(state, command, state.Version, now));

    public Task<PaymentResult> VoidAsync(VoidPayment command) =>
        StartFollowUpAsync(command, "void", (state, now) => PaymentDecider.StartVoid(state, command, state.Version, now));

    public Task<PaymentResult> RefundAsync(RefundPayment command) =>
        StartFollowUpAsync(command, "refund", (state, now) =>
            PaymentDecider.StartRefund(state, command, UuidV7.New(now), _options.RefundsPerPaymentMax, state.Version, now));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == PendingReminder)
        {
            _reminderRegistered = true;
            await EnsureLoadedAsync();
            await ResolvePendingAsync(CancellationToken.None);
        }
    }

    private async Task<PaymentResult> StartFollowUpAsync(IIdempotentCommand command, string operation, Func<PaymentState, DateTimeOffset, Decision> decide)
    {
        await EnsureLoadedAsync();
        if (_state is null || _state.MerchantId != command.MerchantId)
        {
            return PaymentResult.Rejected(PaymentResultCode.NotFound, $"Payment {Id} was not found.");
        }

        if (TryReplay(command, operation, out var replay))
        {
            return replay;
        }

        if (_operations.Count >= _options.OperationsPerPaymentMax)
        {
            return PaymentResult.Rejected(PaymentResultCode.LimitExceeded,
                $"A payment takes at most {_options.OperationsPerPaymentMax} operations.", _state.ToSnapshot());
        }

        var now = Now();
        var decision = decide(_state, now);
        if (decision.IsRejected)
        {
            return PaymentResult.Rejected(decision.Rejection!.Value, decision.Message!, _state.ToSnapshot());
        }

        var state = decision.NewState!;
        var unit = new List<SqlStatement>
        {
            PaymentStore.UpdatePayment(state, _state.Version),
            PaymentStore.ClaimKey(command.MerchantId, command.IdempotencyKey, command.Fingerprint, operation, Id, now, _options.IdempotencyKeyTtl),
        };
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, operation);
        }

        _state = state;
        _operations[command.IdempotencyKey] = new OperationRecord(command.IdempotencyKey, command.Fingerprint, operation, null, now + _options.IdempotencyKeyTtl);
        var pending = state.Pending!;
        var request = new PspRequest(pending.RequestId, pending.Operation, Id, pending.AmountMinor, state.Currency, false, null, state.PspReference);
        return await CompleteAsync(await CallPspAsync(request));
    }

    /// <summary>Applies a PSP answer (live or from a status inquiry) to the pending operation and commits it.</summary>
    private async Task<PaymentResult> CompleteAsync(PspResult result)
    {
        var state = _state!;
        var pending = state.Pending!;
        var now = Now();
        var decision = PaymentDecider.Complete(state, result, now);
        if (decision.NewState is null)
        {
            LogOutcomeUnknown(logger, Id, pending.WireName, pending.RequestId, result.Message);
            ScheduleInquiry();
            return new PaymentResult(PaymentResultCode.Pending, state.ToSnapshot(),
                $"The PSP's answer to the {pending.WireName} is not known yet; the payment stays pending until it is.", Replayed: false);
        }

        var next = decision.NewState;
        var finished = decision.IsRejected
            ? PaymentResult.Rejected(decision.Rejection!.Value, decision.Message!, next.ToSnapshot())
            : new PaymentResult(PaymentResultCode.Ok, next.ToSnapshot(), null, Replayed: false);
        var unit = new List<SqlStatement> { PaymentStore.UpdatePayment(next, state.Version) };
        AddOutbox(unit, next, decision.Events, now);
        unit.Add(decision.IsRejected
            ? PaymentStore.ReleaseKey(state.MerchantId, pending.IdempotencyKey)
            : PaymentStore.CompleteKey(state.MerchantId, pending.IdempotencyKey, finished));
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            // Another activation moved this payment on; what it wrote is the truth.
            await LoadAsync(CancellationToken.None);
            return _operations.TryGetValue(pending.IdempotencyKey, out var record) && record.Result is { } stored
                ? stored with { Replayed = true }
                : PaymentResult.Rejected(PaymentResultCode.OperationInProgress, "The payment changed concurrently; retry.", _state?.ToSnapshot());
        }

        _state = next;
        if (decision.IsRejected)
        {
            _operations.Remove(pending.IdempotencyKey);
        }
        else if (_operations.TryGetValue(pending.IdempotencyKey, out var record))
        {
            _operations[pending.IdempotencyKey] = record with { Result = finished };
        }

        await StopInquiryAsync();
        if (IsSettled() && _linger is null)
        {
            _linger = this.DeactivateLater(IsSettled);
        }

        return finished;
    }

    /// <summary>Nothing to wait for: no PSP answer outstanding and no authorisation expecting its capture.</summary>
    private bool IsSettled() => _state is { Pending: null, Status: not PaymentStatus.Authorized };

    private async Task<PspResult> CallPspAsync(PspRequest request)
    {
        try
        {
            return _state!.WalletId is { } walletId
                ? await GrainFactory.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(_state.MerchantId, walletId)).ExecutePaymentAsync(request)
                : await GrainFactory.GetGrain<IPspAdapterGrain>(_state.Psp).ExecuteAsync(request);
        }
        catch (Exception exception) when (exception is not InvariantViolationException)
        {
            // We cannot know whether the request reached the PSP: that is an unknown outcome, never a failure.
            LogPspCallFailed(logger, exception, Id, request.RequestId);
            return new PspResult(PspOutcome.Unknown, null, null, exception.GetType().Name);
        }
    }

    private async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        _inquiryTimer?.Dispose();
        _inquiryTimer = null;
        if (_state?.Pending is not { } pending)
        {
            await StopInquiryAsync();
            return;
        }

        _inquiryAttempts++;
        var request = new PspRequest(pending.RequestId, pending.Operation, Id, pending.AmountMinor, _state.Currency, _state.Capture, null, _state.PspReference);
        PspResult result;
        try
        {
            result = _state.WalletId is { } walletId
                ? await GrainFactory.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(_state.MerchantId, walletId)).InquirePaymentAsync(request)
                : await GrainFactory.GetGrain<IPspAdapterGrain>(_state.Psp).InquireAsync(request);
        }
        catch (Exception exception) when (exception is not InvariantViolationException)
        {
            LogPspCallFailed(logger, exception, Id, request.RequestId);
            result = new PspResult(PspOutcome.Unknown, null, null, exception.GetType().Name);
        }

        // "Never heard of it" is only proof once the request can no longer be in flight.
        if (result.Outcome == PspOutcome.NotFound && Now() - pending.StartedAt < _options.PspNotFoundGrace)
        {
            result = new PspResult(PspOutcome.Unknown, null, null, "Not found at the PSP yet; within the grace period.");
        }

        await CompleteAsync(result);
    }

    private void ScheduleInquiry()
    {
        if (_inquiryTimer is not null)
        {
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(
            _options.PendingInquiryDelayMax.Ticks,
            _options.PendingInquiryDelayMin.Ticks * (1L << Math.Min(_inquiryAttempts, 20))));
        _inquiryTimer = this.RegisterGrainTimer(ResolvePendingAsync,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        if (_inquiryAttempts == 0)
        {
            // Durable backstop: if this silo dies, the reminder brings the payment back to finish the job.
            _reminderRegistered = true;
            _ = this.RegisterOrUpdateReminder(PendingReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
    }

    private async Task StopInquiryAsync()
    {
        _inquiryTimer?.Dispose();
        _inquiryTimer = null;
        if (_reminderRegistered && (_inquiryAttempts > 0 || _state?.Pending is null))
        {
            var reminder = await this.GetReminder(PendingReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderRegistered = false;
        }

        _inquiryAttempts = 0;
    }

    /// <summary>Replays a finished operation, reports one still waiting for the PSP, or refuses a key reused for a different request.</summary>
    private bool TryReplay(IIdempotentCommand command, string operation, out PaymentResult result)
    {
        if (!_operations.TryGetValue(command.IdempotencyKey, out var record))
        {
            result = null!;
            return false;
        }

        if (record.Fingerprint != command.Fingerprint || record.Operation != operation)
        {
            result = PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different {record.Operation} request.");
            return true;
        }

        result = record.Result is { } stored
            ? stored with { Replayed = true }
            : new PaymentResult(PaymentResultCode.Pending, _state?.ToSnapshot(),
                $"The {operation} is still waiting for the PSP's answer.", Replayed: true);
        return true;
    }

    /// <summary>A write unit conflicted: a version check or the key claim lost. Reload and tell the caller what is true now.</summary>
    private async Task<PaymentResult> AfterConflictAsync(IIdempotentCommand command, string operation)
    {
        await LoadAsync(CancellationToken.None);
        if (TryReplay(command, operation, out var replay))
        {
            return replay;
        }

        var binding = await store.FindKeyAsync(command.MerchantId, command.IdempotencyKey);
        if (binding is not null && binding.PaymentId != Id && operation == "create" && binding.Operation == "create"
            && binding.Fingerprint == command.Fingerprint && _state is null)
        {
            // The same create was already accepted under another id: the caller forwards it there.
            return PaymentResult.Rejected(PaymentResultCode.OperationInProgress, "This create is bound to another payment.");
        }

        if (binding is not null && (binding.PaymentId != Id || binding.Operation != operation || binding.Fingerprint != command.Fingerprint))
        {
            return PaymentResult.Rejected(PaymentResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.");
        }

        return PaymentResult.Rejected(PaymentResultCode.OperationInProgress, "The payment changed concurrently; retry.", _state?.ToSnapshot());
    }

    private async Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit)
    {
        try
        {
            return await store.WriteAsync(unit);
        }
        catch
        {
            // The commit's outcome is unknown: this activation's memory may be wrong, so the next call reloads.
            DeactivateOnIdle();
            throw;
        }
    }

    private Task EnsureLoadedAsync() => _loaded ??= LoadAndResumeAsync();

    private async Task LoadAndResumeAsync()
    {
        await LoadAsync(CancellationToken.None);
        if (_state?.Pending is not null)
        {
            // A previous activation died (or was collected) while a PSP call was unanswered.
            ScheduleInquiry();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(Id, cancellationToken);
        _state = loaded?.State;
        _operations.Clear();
        foreach (var operation in loaded?.Operations ?? [])
        {
            _operations[operation.IdempotencyKey] = operation;
        }
    }

    private static void AddOutbox(List<SqlStatement> unit, PaymentState state, IReadOnlyList<PaymentEvent> events, DateTimeOffset now)
    {
        foreach (var @event in events)
        {
            unit.Add(PaymentStore.InsertOutbox(state, @event, UuidV7.New(now), now));
        }
    }

    /// <summary>Now, truncated to PostgreSQL's microsecond precision so memory and the database agree.</summary>
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: the PSP's answer to {Operation} {RequestId} is unknown ({Reason}); it stays pending")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid paymentId, string operation, string requestId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {FromPsp} did not take the authorisation ({Code}); offering it to {ToPsp}")]
    private static partial void LogRerouted(ILogger logger, Guid paymentId, string fromPsp, string? code, string toPsp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: PSP call {RequestId} failed; treating the outcome as unknown")]
    private static partial void LogPspCallFailed(ILogger logger, Exception exception, Guid paymentId, string requestId);
}
