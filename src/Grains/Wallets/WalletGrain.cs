using Payments.Actors.Events;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Bank;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// One merchant's wallet. The activation serialises every balance change, so it is the lock
/// (ARCHITECTURE.md §2); PostgreSQL's constraints and the version check stop a second activation.
/// Nothing is acknowledged before it is durable: a cash-out's reservation is committed before the
/// Bank is asked to pay, a cash-in's intent before the Bank is asked to debit, and the Bank's answer
/// together with the new balances, the operation's idempotency record and the outbox row.
/// </summary>
[CollectionAgeLimit("00:05:00")]
public sealed partial class WalletGrain(
    WalletStore store,
    LedgerStore ledger,
    TimeProvider timeProvider,
    IOptions<PaymentsOptions> paymentsOptions,
    IOptions<WalletsOptions> walletsOptions,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain, IRemindable
{
    private const string UpkeepReminder = "wallet-upkeep";

    /// <summary>Holds expired in one transaction; more wait for the next tick.</summary>
    private const int ExpiriesPerCommitMax = 100;

    private readonly PaymentsOptions _timings = paymentsOptions.Value;
    private readonly WalletsOptions _options = walletsOptions.Value;
    private readonly Dictionary<Guid, WalletHold> _holds = [];
    private readonly Dictionary<Guid, PendingBankOperation> _pending = [];
    private WalletState? _state;
    private Task? _loaded;
    private IGrainTimer? _inquiryTimer;
    private IGrainTimer? _expiryTimer;
    private int _inquiryAttempts;
    private bool _reminderRegistered;

    private string MerchantId => KeyPart(merchant: true);

    private string WalletId => KeyPart(merchant: false);

    public async Task<WalletSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        if (_state is not { } state)
        {
            return null;
        }

        var account = await ledger.BalanceAsync(AccountCodes.Wallet(state.MerchantId, state.WalletId, state.Currency).Code, asOf: null);
        return Snapshot(state, account?.BalanceMinor ?? 0);
    }

    public async Task<WalletResult> CashInAsync(CashIn command)
    {
        await EnsureLoadedAsync();
        CheckMerchant(command);
        if (await ReplayAsync(command, WalletOperationKinds.CashIn) is { } replay)
        {
            return replay;
        }

        if (_state is { } existing && existing.Currency != command.Currency)
        {
            return CurrencyMismatch(existing, command.Currency);
        }

        if (_pending.Count >= _options.PendingTransfersPerWalletMax)
        {
            return TooManyPending();
        }

        var now = Now();
        var state = _state ?? WalletState.New(UuidV7.New(now), MerchantId, WalletId, command.Currency, now);
        var operation = NewBankOperation(WalletOperationKinds.CashIn, command, command.AmountMinor, now);
        var unit = new List<SqlStatement>();
        if (_state is null)
        {
            unit.Add(WalletStore.InsertWallet(state));
        }

        unit.Add(ClaimKey(command, now));
        unit.Add(InsertPending(operation, state, command.Fingerprint, now));
        await EnsureReminderAsync();
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, WalletOperationKinds.CashIn);
        }

        _state = state;
        _pending[operation.OperationId] = operation;
        return await SendToBankAsync(operation, command.Iban);
    }

    public async Task<WalletResult> CashOutAsync(CashOut command)
    {
        await EnsureLoadedAsync();
        CheckMerchant(command);
        if (await ReplayAsync(command, WalletOperationKinds.CashOut) is { } replay)
        {
            return replay;
        }

        if (Refuse(command.Currency, command.AmountMinor) is { } refusal)
        {
            return refusal;
        }

        if (_pending.Count >= _options.PendingTransfersPerWalletMax)
        {
            return TooManyPending();
        }

        // The money leaves the available balance before the Bank is asked to pay it out: two
        // cash-outs can never both spend the same balance, whatever the Bank does or how long it takes.
        var state = _state!;
        var now = Now();
        var operation = NewBankOperation(WalletOperationKinds.CashOut, command, command.AmountMinor, now);
        var next = state.Debit(command.AmountMinor, now);
        await EnsureReminderAsync();
        if (await WriteAsync([WalletStore.UpdateWallet(next, state.Version), ClaimKey(command, now), InsertPending(operation, next, command.Fingerprint, now)])
            == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, WalletOperationKinds.CashOut);
        }

        _state = next;
        _pending[operation.OperationId] = operation;
        return await SendToBankAsync(operation, command.Iban);
    }

    public async Task<WalletResult> PlaceHoldAsync(PlaceHold command)
    {
        await EnsureLoadedAsync();
        CheckMerchant(command);
        if (await ReplayAsync(command, WalletOperationKinds.Hold) is { } replay)
        {
            return replay;
        }

        if (Refuse(command.Currency, command.AmountMinor) is { } refusal)
        {
            return refusal;
        }

        if (_holds.Count >= _options.HoldsPerWalletMax)
        {
            return WalletResult.Rejected(WalletResultCode.LimitExceeded, $"A wallet has at most {_options.HoldsPerWalletMax} open holds.");
        }

        if (command.ExpiresIn <= TimeSpan.Zero || command.ExpiresIn > _options.HoldExpiryMax)
        {
            return WalletResult.Rejected(WalletResultCode.LimitExceeded, $"A hold lasts at most {_options.HoldExpiryMax.TotalSeconds:0} seconds.");
        }

        var state = _state!;
        var now = Now();
        var hold = new WalletHold(UuidV7.New(now), command.AmountMinor, PaymentId: null, now + command.ExpiresIn, now);
        var next = state.Hold(command.AmountMinor, now);
        var operationId = UuidV7.New(now);
        var result = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operationId, WalletOperationKinds.Hold, command.AmountMinor, WalletOperationStates.Succeeded, null, null, next, now, now),
            hold.ToSnapshot(next, WalletHoldStates.Held, 0, now), null, Replayed: false);
        await EnsureReminderAsync();
        var unit = new List<SqlStatement>
        {
            WalletStore.UpdateWallet(next, state.Version),
            WalletStore.InsertHold(next, hold, WalletHoldStates.Held, 0, now),
            ClaimKey(command, now),
            FinishedOperation(operationId, next, WalletOperationKinds.Hold, command, command.AmountMinor, hold.HoldId, result, now),
        };
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, WalletOperationKinds.Hold);
        }

        _state = next;
        _holds[hold.HoldId] = hold;
        ScheduleExpiry();
        return result;
    }

    public Task<WalletResult> CaptureHoldAsync(CaptureHold command) =>
        EndHoldAsync(command, command.HoldId, WalletOperationKinds.Capture, command.AmountMinor);

    public Task<WalletResult> ReleaseHoldAsync(ReleaseHold command) =>
        EndHoldAsync(command, command.HoldId, WalletOperationKinds.Release, captureMinor: null);

    public async Task<PspResult> ExecutePaymentAsync(PspRequest request)
    {
        await EnsureLoadedAsync();
        if (_state is not { } state)
        {
            return new PspResult(PspOutcome.Declined, null, "WALLET_NOT_FOUND", $"Wallet {WalletId} does not exist.");
        }

        if (await StoredPaymentResultAsync(state, request) is { } stored)
        {
            return stored;
        }

        var now = Now();
        var operationId = UuidV7.New(now);
        var (kind, next, result, holdChange) = DecidePayment(state, request, operationId, now);
        var succeeded = result.Outcome == PspOutcome.Approved;
        var unit = new List<SqlStatement>();
        if (!ReferenceEquals(next, state))
        {
            unit.Add(WalletStore.UpdateWallet(next, state.Version));
        }

        if (holdChange is { } change)
        {
            unit.Add(change.Statement);
        }

        unit.Add(WalletStore.InsertOperation(operationId, next, kind, null, null, request.RequestId, request.AmountMinor,
            succeeded ? WalletOperationStates.Succeeded : result.Outcome == PspOutcome.Declined ? WalletOperationStates.Declined : WalletOperationStates.Failed,
            request.PaymentId, null, result.DeclineCode, JsonSerializer.SerializeToUtf8Bytes(result, WalletStore.Json), now));
        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            await LoadAsync();
            return _state is { } reloaded && await StoredPaymentResultAsync(reloaded, request) is { } after
                ? after
                : new PspResult(PspOutcome.Unknown, null, null, "The wallet changed concurrently.");
        }

        _state = next;
        if (holdChange is { } applied)
        {
            applied.Apply(_holds);
        }

        return result;
    }

    public async Task<PspResult> InquirePaymentAsync(PspRequest request)
    {
        await EnsureLoadedAsync();
        return _state is { } state && await StoredPaymentResultAsync(state, request) is { } stored
            ? stored
            : new PspResult(PspOutcome.NotFound, null, null, "The wallet has no record of the request.");
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != UpkeepReminder)
        {
            return;
        }

        _reminderRegistered = true;
        await EnsureLoadedAsync();
        await ExpireDueHoldsAsync(CancellationToken.None);
        if (_pending.Count > 0)
        {
            await ResolvePendingAsync(CancellationToken.None);
        }

        await StopReminderIfIdleAsync();
    }

    // ---- Bank transfers -------------------------------------------------------------------------

    private PendingBankOperation NewBankOperation(string kind, IIdempotentCommand command, long amountMinor, DateTimeOffset now)
    {
        var operationId = UuidV7.New(now);
        return new PendingBankOperation(operationId, kind, command.IdempotencyKey, operationId.ToString("N"), amountMinor, now);
    }

    private static SqlStatement InsertPending(PendingBankOperation operation, WalletState state, string fingerprint, DateTimeOffset now) =>
        WalletStore.InsertOperation(operation.OperationId, state, operation.Kind, operation.IdempotencyKey, fingerprint, operation.RequestId,
            operation.AmountMinor, WalletOperationStates.Pending, null, null, null, null, now);

    private async Task<WalletResult> SendToBankAsync(PendingBankOperation operation, string? iban)
    {
        var order = new BankTransferOrder(operation.RequestId, operation.IsCashOut ? BankTransferKind.CashOut : BankTransferKind.CashIn,
            operation.RequestId, operation.AmountMinor, _state!.Currency, iban ?? _options.SettlementIban);
        PspResult result;
        try
        {
            result = await GrainFactory.GetGrain<IBankAdapterGrain>(IBankAdapterGrain.Key).TransferAsync(order);
        }
        catch (Exception exception) when (exception is not InvariantViolationException)
        {
            // We cannot know whether the request reached the Bank: an unknown outcome, never a failure.
            LogBankCallFailed(logger, exception, WalletId, operation.RequestId);
            result = new PspResult(PspOutcome.Unknown, null, null, exception.GetType().Name);
        }

        return await CompleteTransferAsync(operation, result);
    }

    /// <summary>Applies the Bank's answer (live or from a status inquiry) to a pending transfer and commits it.</summary>
    private async Task<WalletResult> CompleteTransferAsync(PendingBankOperation operation, PspResult result)
    {
        var state = _state!;
        var now = Now();
        if (result.Outcome == PspOutcome.Unknown)
        {
            LogOutcomeUnknown(logger, WalletId, operation.Kind, operation.RequestId, result.Message);
            ScheduleInquiry();
            return new WalletResult(WalletResultCode.Pending,
                OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, WalletOperationStates.Pending, result.PspReference, null,
                    state, operation.StartedAt, now),
                null, $"The Bank's answer to the {operation.Kind} is not known yet; the operation stays pending until it is.", Replayed: false);
        }

        if (result.Outcome == PspOutcome.Rejected && PspErrorCodes.IsTransient(result.DeclineCode))
        {
            // Nothing reached the Bank: forget the operation, give back what a cash-out reserved, free the key for a retry.
            var restored = operation.IsCashOut ? state.Credit(operation.AmountMinor, now) : state;
            var release = new List<SqlStatement>
            {
                WalletStore.DeleteOperation(operation.OperationId),
                WalletStore.ReleaseKey(MerchantId, operation.IdempotencyKey),
            };
            if (operation.IsCashOut)
            {
                release.Add(WalletStore.UpdateWallet(restored, state.Version));
            }

            if (await WriteAsync(release) == WriteOutcome.Conflict)
            {
                await LoadAsync();
                return WalletResult.Rejected(WalletResultCode.OperationInProgress, "The wallet changed concurrently; retry with the same Idempotency-Key.");
            }

            _state = restored;
            _pending.Remove(operation.OperationId);
            await StopReminderIfIdleAsync();
            return WalletResult.Rejected(WalletResultCode.BankUnavailable,
                $"The Bank could not take the {operation.Kind} now ({result.DeclineCode}); nothing was moved. Retry with the same Idempotency-Key.");
        }

        var booked = result.Outcome == PspOutcome.Approved;
        var operationState = booked ? WalletOperationStates.Succeeded
            : result.Outcome == PspOutcome.Declined ? WalletOperationStates.Declined
            : WalletOperationStates.Failed;
        var declineCode = booked ? null : result.DeclineCode ?? (result.Outcome == PspOutcome.NotFound ? "NOT_PROCESSED_BY_BANK" : "BANK_REJECTED");

        // A booked cash-in credits the wallet; a cash-out that did not happen gives its reservation back.
        var next = booked != operation.IsCashOut ? state.Credit(operation.AmountMinor, now) : state;
        var finished = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, operationState, result.PspReference, declineCode,
                next, operation.StartedAt, now),
            null, null, Replayed: false);
        var unit = new List<SqlStatement>
        {
            WalletStore.CompleteOperation(operation.OperationId, operationState, result.PspReference, declineCode,
                JsonSerializer.SerializeToUtf8Bytes(finished, WalletStore.Json), now),
        };
        if (!ReferenceEquals(next, state))
        {
            unit.Add(WalletStore.UpdateWallet(next, state.Version));
        }

        if (booked)
        {
            unit.Add(WalletStore.InsertOutbox(next, operation.IsCashOut ? WalletEventTypes.CashedOut : WalletEventTypes.CashedIn,
                operation.AmountMinor, operation.OperationId, UuidV7.New(now), now));
        }

        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            // Another activation finished it; what it wrote is the truth.
            await LoadAsync();
            var stored = await store.FindByKeyAsync(MerchantId, operation.IdempotencyKey);
            return stored?.Result is { } bytes
                ? Deserialize(bytes) with { Replayed = true }
                : WalletResult.Rejected(WalletResultCode.OperationInProgress, "The wallet changed concurrently; retry with the same Idempotency-Key.");
        }

        _state = next;
        _pending.Remove(operation.OperationId);
        await StopReminderIfIdleAsync();
        return finished;
    }

    private async Task ResolvePendingAsync(CancellationToken cancellationToken)
    {
        _inquiryTimer?.Dispose();
        _inquiryTimer = null;
        _inquiryAttempts++;
        foreach (var operation in _pending.Values.OrderBy(o => o.StartedAt).ToList())
        {
            if (!_pending.ContainsKey(operation.OperationId))
            {
                continue;
            }

            var order = new BankTransferOrder(operation.RequestId, operation.IsCashOut ? BankTransferKind.CashOut : BankTransferKind.CashIn,
                operation.RequestId, operation.AmountMinor, _state!.Currency, null);
            PspResult result;
            try
            {
                result = await GrainFactory.GetGrain<IBankAdapterGrain>(IBankAdapterGrain.Key).InquireAsync(order);
            }
            catch (Exception exception) when (exception is not InvariantViolationException)
            {
                LogBankCallFailed(logger, exception, WalletId, operation.RequestId);
                result = new PspResult(PspOutcome.Unknown, null, null, exception.GetType().Name);
            }

            // "Never heard of it" is only proof once the request can no longer be in flight.
            if (result.Outcome == PspOutcome.NotFound && Now() - operation.StartedAt < _timings.PspNotFoundGrace)
            {
                result = new PspResult(PspOutcome.Unknown, null, null, "Not found at the Bank yet; within the grace period.");
            }

            await CompleteTransferAsync(operation, result);
        }

        if (_pending.Count == 0)
        {
            _inquiryAttempts = 0;
        }
    }

    private void ScheduleInquiry()
    {
        if (_inquiryTimer is not null)
        {
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(
            _timings.PendingInquiryDelayMax.Ticks,
            _timings.PendingInquiryDelayMin.Ticks * (1L << Math.Min(_inquiryAttempts, 20))));
        _inquiryTimer = this.RegisterGrainTimer(ResolvePendingAsync,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    // ---- Holds ----------------------------------------------------------------------------------

    private async Task<WalletResult> EndHoldAsync(IIdempotentCommand command, Guid holdId, string kind, long? captureMinor)
    {
        await EnsureLoadedAsync();
        CheckMerchant(command);
        if (await ReplayAsync(command, kind) is { } replay)
        {
            return replay;
        }

        if (_state is not { } state)
        {
            return NotFound();
        }

        if (!_holds.TryGetValue(holdId, out var hold))
        {
            var stored = await store.FindHoldAsync(state.Uid, holdId);
            return stored is null
                ? WalletResult.Rejected(WalletResultCode.HoldNotFound, $"Hold {holdId} was not found on wallet {WalletId}.")
                : WalletResult.Rejected(WalletResultCode.InvalidState, $"Hold {holdId} is {stored.State}; only a HELD hold can be captured or released.");
        }

        if (hold.PaymentId is { } paymentId)
        {
            return WalletResult.Rejected(WalletResultCode.InvalidState, $"Hold {holdId} belongs to payment {paymentId}: capture, void or refund the payment instead.");
        }

        var captured = kind == WalletOperationKinds.Capture ? captureMinor ?? hold.AmountMinor : 0;
        if (captured > hold.AmountMinor)
        {
            return WalletResult.Rejected(WalletResultCode.AmountExceedsHeld, $"Capture of {captured} exceeds the held amount {hold.AmountMinor}.");
        }

        var now = Now();
        var next = state.EndHold(hold.AmountMinor, captured, now);
        var holdState = kind == WalletOperationKinds.Capture ? WalletHoldStates.Captured : WalletHoldStates.Released;
        var operationId = UuidV7.New(now);
        var amount = kind == WalletOperationKinds.Capture ? captured : hold.AmountMinor;
        var result = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operationId, kind, amount, WalletOperationStates.Succeeded, null, null, next, now, now),
            hold.ToSnapshot(next, holdState, captured, now), null, Replayed: false);
        var unit = new List<SqlStatement>
        {
            WalletStore.UpdateWallet(next, state.Version),
            WalletStore.EndHold(state.Uid, holdId, holdState, captured, now),
            ClaimKey(command, now),
            FinishedOperation(operationId, next, kind, command, amount, holdId, result, now),
        };
        if (captured > 0)
        {
            // Money leaves the wallet: the ledger books it from this event, committed with the change it describes.
            unit.Add(WalletStore.InsertOutbox(next, WalletEventTypes.HoldCaptured, captured, operationId, UuidV7.New(now), now, holdId));
        }

        if (await WriteAsync(unit) == WriteOutcome.Conflict)
        {
            return await AfterConflictAsync(command, kind);
        }

        _state = next;
        _holds.Remove(holdId);
        ScheduleExpiry();
        await StopReminderIfIdleAsync();
        return result;
    }

    private async Task ExpireDueHoldsAsync(CancellationToken cancellationToken)
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        var now = Now();
        var due = _holds.Values.Where(h => h.ExpiresAt <= now).OrderBy(h => h.ExpiresAt).Take(ExpiriesPerCommitMax).ToList();
        if (_state is { } state && due.Count > 0)
        {
            var next = state;
            var unit = new List<SqlStatement>();
            foreach (var hold in due)
            {
                next = next.EndHold(hold.AmountMinor, 0, now);
                unit.Add(WalletStore.EndHold(state.Uid, hold.HoldId, WalletHoldStates.Expired, 0, now));
            }

            unit.Insert(0, WalletStore.UpdateWallet(next with { Version = state.Version + 1 }, state.Version));
            if (await WriteAsync(unit) == WriteOutcome.Conflict)
            {
                await LoadAsync();
            }
            else
            {
                _state = next with { Version = state.Version + 1 };
                foreach (var hold in due)
                {
                    _holds.Remove(hold.HoldId);
                }

                LogHoldsExpired(logger, WalletId, due.Count);
            }
        }

        ScheduleExpiry();
        await StopReminderIfIdleAsync();
    }

    private void ScheduleExpiry()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        var next = _holds.Values.Where(h => h.ExpiresAt is not null).Select(h => h.ExpiresAt!.Value).DefaultIfEmpty().Min();
        if (next == default)
        {
            return;
        }

        var delay = next - timeProvider.GetUtcNow();
        _expiryTimer = this.RegisterGrainTimer(ExpireDueHoldsAsync, new GrainTimerCreationOptions
        {
            DueTime = delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    // ---- Payments paid from the wallet -------------------------------------------------------------

    /// <summary>A change to one hold, written with the balances and applied to memory once committed.</summary>
    private sealed record HoldChange(SqlStatement Statement, Action<Dictionary<Guid, WalletHold>> Apply);

    private (string Kind, WalletState Next, PspResult Result, HoldChange? Hold) DecidePayment(WalletState state, PspRequest request, Guid operationId, DateTimeOffset now)
    {
        var reference = $"wallet_{request.PaymentId:N}";
        switch (request.Operation)
        {
            case PspOperation.Authorize:
            {
                const string kind = WalletOperationKinds.PaymentAuthorize;
                if (state.Currency != request.Currency)
                {
                    return (kind, state, new PspResult(PspOutcome.Declined, reference, "CURRENCY_MISMATCH", $"The wallet holds {state.Currency}."), null);
                }

                if (state.AvailableMinor < request.AmountMinor)
                {
                    return (kind, state, new PspResult(PspOutcome.Declined, reference, "INSUFFICIENT_FUNDS", null), null);
                }

                if (_holds.Count >= _options.HoldsPerWalletMax)
                {
                    return (kind, state, new PspResult(PspOutcome.Declined, reference, "LIMIT_EXCEEDED", "The wallet has too many open holds."), null);
                }

                var hold = new WalletHold(request.PaymentId, request.AmountMinor, request.PaymentId, ExpiresAt: null, now);
                if (request.Capture)
                {
                    return (kind, state.Debit(request.AmountMinor, now), new PspResult(PspOutcome.Approved, reference, null, null),
                        new HoldChange(WalletStore.InsertHold(state, hold, WalletHoldStates.Captured, request.AmountMinor, now), _ => { }));
                }

                return (kind, state.Hold(request.AmountMinor, now), new PspResult(PspOutcome.Approved, reference, null, null),
                    new HoldChange(WalletStore.InsertHold(state, hold, WalletHoldStates.Held, 0, now), holds => holds[hold.HoldId] = hold));
            }

            case PspOperation.Capture or PspOperation.Void:
            {
                var capture = request.Operation == PspOperation.Capture;
                var kind = capture ? WalletOperationKinds.PaymentCapture : WalletOperationKinds.PaymentVoid;
                if (!_holds.TryGetValue(request.PaymentId, out var hold))
                {
                    return (kind, state, new PspResult(PspOutcome.Rejected, reference, "INVALID_TRANSACTION", "The payment holds nothing on this wallet."), null);
                }

                var captured = capture ? request.AmountMinor : 0;
                if (captured > hold.AmountMinor)
                {
                    return (kind, state, new PspResult(PspOutcome.Rejected, reference, "INVALID_AMOUNT", $"The payment holds {hold.AmountMinor}."), null);
                }

                return (kind, state.EndHold(hold.AmountMinor, captured, now), new PspResult(PspOutcome.Approved, reference, null, null),
                    new HoldChange(WalletStore.EndHold(state.Uid, hold.HoldId, capture ? WalletHoldStates.Captured : WalletHoldStates.Released, captured, now),
                        holds => holds.Remove(hold.HoldId)));
            }

            case PspOperation.Refund:
                // The payment grain allows no refund beyond what it captured; the wallet gets the money back.
                return (WalletOperationKinds.PaymentRefund, state.Credit(request.AmountMinor, now),
                    new PspResult(PspOutcome.Approved, reference, null, null, OperationReference: operationId.ToString("N")), null);

            default:
                return (WalletOperationKinds.PaymentAuthorize, state,
                    new PspResult(PspOutcome.Rejected, reference, "INVALID_TRANSACTION", $"A wallet does not take a {request.Operation}."), null);
        }
    }

    private async Task<PspResult?> StoredPaymentResultAsync(WalletState state, PspRequest request)
    {
        var stored = await store.FindByRequestAsync(state.Uid, request.RequestId);
        return stored?.Result is { } bytes ? JsonSerializer.Deserialize<PspResult>(bytes, WalletStore.Json) : null;
    }

    // ---- Idempotency, refusals, snapshots ---------------------------------------------------------

    /// <summary>Replays a finished operation, reports one still waiting for the Bank, or refuses a key reused for a different request.</summary>
    private async Task<WalletResult?> ReplayAsync(IIdempotentCommand command, string kind)
    {
        var stored = await store.FindByKeyAsync(command.MerchantId, command.IdempotencyKey);
        if (stored is null)
        {
            return null;
        }

        if (stored.WalletUid != _state?.Uid || stored.Kind != kind || stored.Fingerprint != command.Fingerprint)
        {
            return WalletResult.Rejected(WalletResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.");
        }

        if (stored.Result is { } bytes)
        {
            return Deserialize(bytes) with { Replayed = true };
        }

        return _pending.TryGetValue(stored.OperationId, out var operation)
            ? new WalletResult(WalletResultCode.Pending,
                OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, WalletOperationStates.Pending, null, null,
                    _state!, operation.StartedAt, Now()),
                null, $"The {kind} is still waiting for the Bank's answer.", Replayed: true)
            : WalletResult.Rejected(WalletResultCode.OperationInProgress, "The operation is in progress; retry with the same Idempotency-Key.");
    }

    private async Task<WalletResult> AfterConflictAsync(IIdempotentCommand command, string kind)
    {
        await LoadAsync();
        if (await ReplayAsync(command, kind) is { } replay)
        {
            return replay;
        }

        return await store.IsKeyClaimedByPaymentAsync(command.MerchantId, command.IdempotencyKey)
            ? WalletResult.Rejected(WalletResultCode.IdempotencyKeyReused,
                $"Idempotency-Key '{command.IdempotencyKey}' was already used for a different request.")
            : WalletResult.Rejected(WalletResultCode.OperationInProgress, "The wallet changed concurrently; retry with the same Idempotency-Key.");
    }

    /// <summary>The merchant's key, claimed where payments claim theirs: one key names one request across payments and wallets.</summary>
    private SqlStatement ClaimKey(IIdempotentCommand command, DateTimeOffset now) => PaymentStore.ClaimKey(command.MerchantId, command.IdempotencyKey,
        command.Fingerprint, PaymentStore.WalletKeyOperation, null, now, _timings.IdempotencyKeyTtl);

    /// <summary>The checks every debit shares: the wallet exists, speaks the currency and has the money. Nothing is written when one fails.</summary>
    private WalletResult? Refuse(string currency, long amountMinor) => _state switch
    {
        null => NotFound(),
        { } state when state.Currency != currency => CurrencyMismatch(state, currency),
        { } state when state.AvailableMinor < amountMinor => WalletResult.Rejected(WalletResultCode.InsufficientFunds,
            $"Wallet {WalletId} has {state.AvailableMinor} {state.Currency} available; {amountMinor} was asked for."),
        _ => null,
    };

    private WalletResult NotFound() => WalletResult.Rejected(WalletResultCode.NotFound, $"Wallet '{WalletId}' was not found.");

    private WalletResult CurrencyMismatch(WalletState state, string currency) => WalletResult.Rejected(WalletResultCode.CurrencyMismatch,
        $"Wallet {WalletId} holds {state.Currency}; it cannot take {currency}.");

    private WalletResult TooManyPending() => WalletResult.Rejected(WalletResultCode.LimitExceeded,
        $"Wallet {WalletId} already has {_options.PendingTransfersPerWalletMax} Bank transfers waiting for an answer; retry later.");

    private static SqlStatement FinishedOperation(Guid operationId, WalletState wallet, string kind, IIdempotentCommand command, long amountMinor,
        Guid holdId, WalletResult result, DateTimeOffset now) =>
        WalletStore.InsertOperation(operationId, wallet, kind, command.IdempotencyKey, command.Fingerprint, operationId.ToString("N"), amountMinor,
            WalletOperationStates.Succeeded, holdId, null, null, JsonSerializer.SerializeToUtf8Bytes(result, WalletStore.Json), now);

    private static WalletOperationSnapshot OperationSnapshot(Guid operationId, string kind, long amountMinor, string state, string? bankReference,
        string? declineCode, WalletState wallet, DateTimeOffset createdAt, DateTimeOffset now) =>
        new(operationId, kind, wallet.WalletId, amountMinor, wallet.Currency, state, bankReference, declineCode,
            wallet.AvailableMinor, wallet.HeldMinor, createdAt, now);

    private WalletSnapshot Snapshot(WalletState state, long ledgerMinor) => state.ToSnapshot(
        _pending.Values.Where(o => o.IsCashOut).Sum(o => o.AmountMinor),
        [.. _holds.Values.OrderBy(h => h.CreatedAt).Select(h => h.ToSnapshot(state, WalletHoldStates.Held, 0, h.CreatedAt))],
        ledgerMinor);

    private static WalletResult Deserialize(byte[] bytes) =>
        JsonSerializer.Deserialize<WalletResult>(bytes, WalletStore.Json) ?? throw new InvalidOperationException("A stored wallet result is empty.");

    private void CheckMerchant(IIdempotentCommand command) =>
        Invariant.Assert(command.MerchantId == MerchantId, $"Wallet {this.GetPrimaryKeyString()} got a command of merchant {command.MerchantId}.");

    private string KeyPart(bool merchant)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        Invariant.Assert(slash > 0 && slash < key.Length - 1, $"Wallet key '{key}' is not merchant/wallet.");
        return merchant ? key[..slash] : key[(slash + 1)..];
    }

    // ---- Loading, reminders, writes ----------------------------------------------------------------

    private Task EnsureLoadedAsync() => _loaded ??= LoadAndResumeAsync();

    private async Task LoadAndResumeAsync()
    {
        await LoadAsync();
        if (_pending.Count > 0 || _holds.Values.Any(h => h.ExpiresAt is not null))
        {
            // A previous activation died (or was collected) with work left: its reminder is still there.
            _reminderRegistered = true;
        }

        if (_pending.Count > 0)
        {
            ScheduleInquiry();
        }

        ScheduleExpiry();
    }

    private async Task LoadAsync()
    {
        var loaded = await store.LoadAsync(MerchantId, WalletId, _options.HoldsPerWalletMax, _options.PendingTransfersPerWalletMax);
        _state = loaded?.State;
        _holds.Clear();
        _pending.Clear();
        foreach (var hold in loaded?.Holds ?? [])
        {
            _holds[hold.HoldId] = hold;
        }

        foreach (var operation in loaded?.Pending ?? [])
        {
            _pending[operation.OperationId] = operation;
        }
    }

    /// <summary>
    /// The durable backstop, registered before a Bank transfer or an expiring hold is committed: if this
    /// silo dies, the reminder brings the wallet back to finish the job (grain timers die with it).
    /// </summary>
    private async Task EnsureReminderAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(UpkeepReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            _reminderRegistered = true;
        }
    }

    private async Task StopReminderIfIdleAsync()
    {
        if (!_reminderRegistered || _pending.Count > 0 || _holds.Values.Any(h => h.ExpiresAt is not null))
        {
            return;
        }

        _inquiryTimer?.Dispose();
        _inquiryTimer = null;
        var reminder = await this.GetReminder(UpkeepReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
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

    /// <summary>Now, truncated to PostgreSQL's microsecond precision so memory and the database agree.</summary>
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId}: the Bank's answer to {Kind} {RequestId} is unknown ({Reason}); it stays pending")]
    private static partial void LogOutcomeUnknown(ILogger logger, string walletId, string kind, string requestId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallet {WalletId}: Bank call {RequestId} failed; treating the outcome as unknown")]
    private static partial void LogBankCallFailed(ILogger logger, Exception exception, string walletId, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wallet {WalletId}: {Count} holds expired and were released")]
    private static partial void LogHoldsExpired(ILogger logger, string walletId, int count);
}
