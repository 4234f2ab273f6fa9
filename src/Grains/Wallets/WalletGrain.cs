using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Events;
using Payments.Actors.Grains.Durability;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Options;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Ledger;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// One merchant's wallet. The activation serialises every balance change, so it is the lock; PostgreSQL's
/// constraints and the version check stop a second activation. The grain loads, decides (<see cref="WalletDecider"/>),
/// persists (<see cref="WalletWriteUnit"/>), then calls the Bank. Nothing is acknowledged before it is durable: a
/// cash-out's reservation is committed before the Bank is asked to pay, a cash-in's intent before the Bank is asked
/// to debit, and the Bank's answer together with the new balances, the operation's idempotency record and the outbox row.
/// </summary>
[CollectionAgeLimit("00:05:00")]
public sealed partial class WalletGrain(
    WalletStore store,
    IMerchantEventRenderer merchantEvents,
    TimeProvider timeProvider,
    IOptions<PaymentsOptions> paymentsOptions,
    IOptions<WalletsOptions> walletsOptions,
    ILogger<WalletGrain> logger)
    : DurableAggregateGrain(timeProvider, paymentsOptions.Value, "wallet-upkeep"), IWalletGrain, IRemindable
{
    /// <summary>Holds expired in one transaction; more wait for the next tick.</summary>
    private const int ExpiriesPerCommitMax = 100;

    private readonly WalletsOptions _options = walletsOptions.Value;
    private WalletAggregate? _wallet;
    private IGrainTimer? _expiryTimer;

    private string MerchantId => KeyPart(merchant: true);

    private string WalletId => KeyPart(merchant: false);

    private WalletAggregate Wallet => _wallet ??= WalletAggregate.Empty(MerchantId, WalletId);

    public async Task<WalletSnapshot?> GetAsync()
    {
        await EnsureLoadedAsync();
        if (Wallet.State is not { } state)
        {
            return null;
        }

        // Through the ledger's query grain, not its store: the wallet needs one read of its account and no knowledge of the ledger's tables.
        var account = await GrainFactory.GetGrain<ILedgerQueryGrain>(0)
            .BalanceAsync(AccountCodes.Wallet(state.MerchantId, state.WalletId, state.Currency).Code, asOf: null);
        return Wallet.Snapshot(state, account?.BalanceMinor ?? 0);
    }

    public async Task<WalletResult> CashInAsync(CashIn command)
    {
        var decision = await DecideAndWriteAsync(command, WalletOperationKinds.CashIn,
            (wallet, now) => Task.FromResult(WalletDecider.CashIn(wallet, command, UuidV7.New(now), UuidV7.New(now), _options, now)));
        return decision.Started is { } operation ? await SendToBankAsync(operation, command.Iban) : decision.Result;
    }

    public async Task<WalletResult> CashOutAsync(CashOut command)
    {
        var decision = await DecideAndWriteAsync(command, WalletOperationKinds.CashOut,
            (wallet, now) => Task.FromResult(WalletDecider.CashOut(wallet, command, UuidV7.New(now), _options, now)));
        return decision.Started is { } operation ? await SendToBankAsync(operation, command.Iban) : decision.Result;
    }

    public async Task<WalletResult> PlaceHoldAsync(PlaceHold command)
    {
        var decision = await DecideAndWriteAsync(command, WalletOperationKinds.Hold,
            (wallet, now) => Task.FromResult(WalletDecider.PlaceHold(wallet, command, UuidV7.New(now), UuidV7.New(now), _options, now)));
        if (decision.Next is not null)
        {
            ScheduleExpiry();
        }

        return decision.Result;
    }

    public Task<WalletResult> CaptureHoldAsync(CaptureHold command) => EndHoldAsync(command, WalletOperationKinds.Capture, command.HoldId,
        (wallet, stored, now) => WalletDecider.CaptureHold(wallet, command, stored, UuidV7.New(now), now));

    public Task<WalletResult> ReleaseHoldAsync(ReleaseHold command) => EndHoldAsync(command, WalletOperationKinds.Release, command.HoldId,
        (wallet, stored, now) => WalletDecider.ReleaseHold(wallet, command, stored, UuidV7.New(now), now));

    public async Task<PspResult> ExecutePaymentAsync(PspRequest request)
    {
        await EnsureLoadedAsync();
        if (Wallet.State is not { } state)
        {
            return WalletDecider.WalletNotFound(WalletId);
        }

        if (await StoredPaymentResultAsync(state, request) is { } stored)
        {
            return stored;
        }

        var now = Now();
        var before = Wallet;
        var decision = WalletDecider.ExecutePayment(before, request, UuidV7.New(now), _options.HoldsPerWalletMax, now);
        if (await WriteAsync(WalletWriteUnit.Of(before, decision.Next, decision.Changes, [], Timings.IdempotencyKeyTtl, now, merchantEvents, null)) == WriteOutcome.Conflict)
        {
            await LoadAsync();
            return Wallet.State is { } reloaded && await StoredPaymentResultAsync(reloaded, request) is { } after
                ? after
                : new PspResult(PspOutcome.Unknown, null, null, "The wallet changed concurrently.");
        }

        _wallet = decision.Next;
        return decision.Result;
    }

    public async Task<PspResult> InquirePaymentAsync(PspRequest request)
    {
        await EnsureLoadedAsync();
        return Wallet.State is { } state && await StoredPaymentResultAsync(state, request) is { } stored
            ? stored
            : new PspResult(PspOutcome.NotFound, null, null, "The wallet has no record of the request.");
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        MarkReminderRegistered();
        await EnsureLoadedAsync();
        await ExpireDueHoldsAsync(CancellationToken.None);
        if (!Wallet.Pending.IsEmpty)
        {
            await ResolvePendingAsync(CancellationToken.None);
        }

        await StopReminderIfIdleAsync();
    }

    /// <summary>
    /// The path every merchant command takes: replay by key, decide, register the upkeep reminder before committing
    /// work it backs up, commit; on a conflict, reload and say what is true now. Returns the decision (its result
    /// is the answer unless the Bank must be asked), or a refusal with nothing to write.
    /// </summary>
    private async Task<WalletDecision> DecideAndWriteAsync(IIdempotentCommand command, string kind,
        Func<WalletAggregate, DateTimeOffset, Task<WalletDecision>> decide)
    {
        await EnsureLoadedAsync();
        Invariant.Assert(command.MerchantId == MerchantId, $"Wallet {this.GetPrimaryKeyString()} got a command of merchant {command.MerchantId}.");
        if (await ReplayAsync(command, kind) is { } replay)
        {
            return new WalletDecision(null, [], [], replay);
        }

        var before = Wallet;
        var now = Now();
        var decision = await decide(before, now);
        if (decision.Next is not { } next)
        {
            return decision;
        }

        if (!next.IsIdle)
        {
            await EnsureReminderAsync();
        }

        if (await WriteAsync(WalletWriteUnit.Of(before, next, decision.Changes, decision.Events, Timings.IdempotencyKeyTtl, now, merchantEvents, decision.Result)) == WriteOutcome.Conflict)
        {
            return new WalletDecision(null, [], [], await AfterConflictAsync(command, kind));
        }

        _wallet = next;
        return decision;
    }

    private async Task<WalletResult> EndHoldAsync(IIdempotentCommand command, string kind, Guid holdId,
        Func<WalletAggregate, StoredWalletHold?, DateTimeOffset, WalletDecision> decide)
    {
        var decision = await DecideAndWriteAsync(command, kind, async (wallet, now) =>
        {
            // Only a hold no longer held needs reading: the answer tells "never existed" from "already ended".
            var stored = wallet.State is { } state && !wallet.Holds.ContainsKey(holdId) ? await store.FindHoldAsync(state.Uid, holdId) : null;
            return decide(wallet, stored, now);
        });
        if (decision.Next is not null)
        {
            ScheduleExpiry();
            await StopReminderIfIdleAsync();
        }

        return decision.Result;
    }

    /// <summary>Replays a finished operation, reports one still waiting for the Bank, or refuses a key reused for a different request.</summary>
    private async Task<WalletResult?> ReplayAsync(IIdempotentCommand command, string kind)
    {
        var stored = await store.FindByKeyAsync(command.MerchantId, command.IdempotencyKey);
        return stored is null ? null : WalletDecider.Replay(Wallet, command, kind, Keyed(stored), Now());
    }

    private async Task<WalletResult> AfterConflictAsync(IIdempotentCommand command, string kind)
    {
        await LoadAsync();
        if (await ReplayAsync(command, kind) is { } replay)
        {
            return replay;
        }

        return await store.IsKeyClaimedByPaymentAsync(command.MerchantId, command.IdempotencyKey)
            ? WalletDecider.KeyReused(command.IdempotencyKey)
            : WalletDecider.ChangedConcurrently();
    }

    private async Task<PspResult?> StoredPaymentResultAsync(WalletState state, PspRequest request)
    {
        var stored = await store.FindByRequestAsync(state.Uid, request.RequestId);
        return stored?.Result is { } bytes ? JsonSerializer.Deserialize<PspResult>(bytes, WalletStore.Json) : null;
    }

    private static KeyedWalletOperation Keyed(StoredWalletOperation stored) =>
        new(stored.OperationId, stored.WalletUid, stored.Kind, stored.Fingerprint, stored.Result is { } bytes ? Deserialize(bytes) : null, stored.FieldDigests);

    private static WalletResult Deserialize(byte[] bytes) =>
        JsonSerializer.Deserialize<WalletResult>(bytes, WalletStore.Json) ?? throw new InvalidOperationException("A stored wallet result is empty.");

    private string KeyPart(bool merchant)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        Invariant.Assert(slash > 0 && slash < key.Length - 1, $"Wallet key '{key}' is not merchant/wallet.");
        return merchant ? key[..slash] : key[(slash + 1)..];
    }

    // ---- Loading and upkeep ----------------------------------------------------------------------

    protected override async Task LoadAndResumeAsync()
    {
        await LoadAsync();
        if (!Wallet.IsIdle)
        {
            // A previous activation died (or was collected) with work left: its reminder is still there.
            MarkReminderRegistered();
        }

        if (!Wallet.Pending.IsEmpty)
        {
            ScheduleInquiry();
        }

        ScheduleExpiry();
    }

    private async Task LoadAsync() => _wallet = WalletAggregate.Of(MerchantId, WalletId,
        await store.LoadAsync(MerchantId, WalletId, _options.HoldsPerWalletMax, _options.PendingTransfersPerWalletMax));

    protected override Task<WriteOutcome> CommitAsync(IReadOnlyList<SqlStatement> unit) => store.WriteAsync(unit);

    private async Task StopReminderIfIdleAsync()
    {
        if (!ReminderRegistered || !Wallet.IsIdle)
        {
            return;
        }

        CancelInquiryTimer();
        await UnregisterReminderAsync();
    }
}
