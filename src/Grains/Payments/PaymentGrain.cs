using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Events;
using Payments.Actors.Grains.Durability;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Payments;

/// <summary>
/// One payment. The grain loads, decides (<see cref="PaymentDecider"/>), persists, then calls the PSP;
/// the activation serialises every operation on the payment, so it is the lock. What it does around an unknown
/// outcome (inquiries, the reminder, reloading after an uncertain write) is <see cref="DurableAggregateGrain"/>'s.
/// Nothing is acknowledged before it is durable: the intent of every PSP call is committed first,
/// and its outcome is committed together with the idempotency record and the outbox rows.
/// Live activations cost throughput (the dashboard walks every activation each second), so a payment with nothing left to wait for (not pending, not an authorisation awaiting its capture)
/// deactivates <see cref="GrainLinger.AfterFinal"/> after its last answer, and any other idle payment after
/// two minutes. A later call reloads it, operations and idempotency records included, in one round trip.
/// </summary>
[CollectionAgeLimit("00:02:00")]
public sealed partial class PaymentGrain(
    PaymentStore store,
    PspRouter router,
    IMerchantEventRenderer merchantEvents,
    TimeProvider timeProvider,
    IOptions<PaymentsOptions> options,
    ILogger<PaymentGrain> logger)
    : DurableAggregateGrain(timeProvider, options.Value, "resolve-pending"), IPaymentGrain, IRemindable
{
    private readonly PaymentsOptions _options = options.Value;
    private readonly Dictionary<string, OperationRecord> _operations = new(StringComparer.Ordinal);
    private PaymentState? _state;
    private IGrainTimer? _linger;

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
            ScheduleInquiryWithBackstop();
        }

        await VoidIfExpiredAsync();
    }

    public async Task<PaymentResult> CreateAsync(CreatePayment command)
    {
        await EnsureLoadedAsync();
        return await CreateLoadedAsync(command);
    }

    public async Task<PaymentResult> CreateNewAsync(CreatePayment command)
    {
        // The id was minted a moment ago by the caller: there is nothing to read.
        await SkipFirstLoadAsync();
        return await CreateLoadedAsync(command);
    }

    private async Task<PaymentResult> CreateLoadedAsync(CreatePayment command)
    {
        if (PaymentReplay.Replay(_operations, _state, command, "create") is { } replay)
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
        if (await WriteAsync(PaymentWriteUnit.Create(decision, command, _options.IdempotencyKeyTtl, merchantEvents)) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, "create");
        }

        _state = state;
        _operations[command.IdempotencyKey] = new OperationRecord(command.IdempotencyKey, command.Fingerprint, "create", null, createdAt + _options.IdempotencyKeyTtl,
            command.FieldDigests);
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
        if (reminderName == ReminderName)
        {
            MarkReminderRegistered();
            await EnsureLoadedAsync();
            await ResolvePendingAsync(CancellationToken.None);
        }
        else if (reminderName == ExpiryReminderName)
        {
            await EnsureLoadedAsync();
            if (_state is not { Status: PaymentStatus.Authorized } && await this.GetReminder(ExpiryReminderName) is { } stale)
            {
                // Captured or voided meanwhile (its unregistration was lost): nothing to wait for.
                await this.UnregisterReminder(stale);
                return;
            }

            await VoidIfExpiredAsync();
        }
    }

    private async Task<PaymentResult> StartFollowUpAsync(IIdempotentCommand command, string operation, Func<PaymentState, DateTimeOffset, Decision> decide)
    {
        await EnsureLoadedAsync();
        if (_state is null || _state.MerchantId != command.MerchantId)
        {
            return PaymentResult.Rejected(PaymentResultCode.NotFound, $"Payment {Id} was not found.");
        }

        if (PaymentReplay.Replay(_operations, _state, command, operation) is { } replay)
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
        if (await WriteAsync(PaymentWriteUnit.StartOperation(_state, state, command, operation, _options.IdempotencyKeyTtl, now)) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, operation);
        }

        _state = state;
        _operations[command.IdempotencyKey] = new OperationRecord(command.IdempotencyKey, command.Fingerprint, operation, null, now + _options.IdempotencyKeyTtl,
            command.FieldDigests);
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
        var decision = PaymentDecider.Complete(state, result, now, router.AuthorizationValidityOf(state.Psp));
        if (decision.NewState is null)
        {
            LogOutcomeUnknown(logger, Id, pending.WireName, pending.RequestId, result.Message);
            ScheduleInquiryWithBackstop();
            return new PaymentResult(PaymentResultCode.Pending, state.ToSnapshot(),
                $"The PSP's answer to the {pending.WireName} is not known yet; the payment stays pending until it is.", Replayed: false);
        }

        var next = decision.NewState;
        var finished = decision.IsRejected
            ? PaymentResult.Rejected(decision.Rejection!.Value, decision.Message!, next.ToSnapshot())
            : new PaymentResult(PaymentResultCode.Ok, next.ToSnapshot(), null, Replayed: false);
        if (await WriteAsync(PaymentWriteUnit.Complete(state, decision, finished, now, merchantEvents)) == WriteOutcome.Conflict)
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
        await SyncExpiryReminderAsync(state, next);
        if (IsSettled() && _linger is null)
        {
            _linger = this.DeactivateLater(IsSettled);
        }

        return finished;
    }

    /// <summary>Nothing to wait for: no PSP answer outstanding and no authorisation expecting its capture.</summary>
    private bool IsSettled() => _state is { Pending: null, Status: not PaymentStatus.Authorized };

    /// <summary>A write unit conflicted: a version check or the key claim lost. Reload and tell the caller what is true now.</summary>
    private async Task<PaymentResult> AfterConflictAsync(IIdempotentCommand command, string operation)
    {
        await LoadAsync(CancellationToken.None);
        return PaymentReplay.Replay(_operations, _state, command, operation)
            ?? PaymentReplay.AfterConflict(await store.FindKeyAsync(command.MerchantId, command.IdempotencyKey), Id, _state, command, operation);
    }

    protected override Task<WriteOutcome> CommitAsync(IReadOnlyList<SqlStatement> unit) => store.WriteAsync(unit);

    protected override async Task LoadAndResumeAsync()
    {
        await LoadAsync(CancellationToken.None);
        if (_state?.Pending is not null)
        {
            // A previous activation died (or was collected) while a PSP call was unanswered.
            ScheduleInquiryWithBackstop();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {FromPsp} did not take the authorisation ({Code}); offering it to {ToPsp}")]
    private static partial void LogRerouted(ILogger logger, Guid paymentId, string fromPsp, string? code, string toPsp);
}
