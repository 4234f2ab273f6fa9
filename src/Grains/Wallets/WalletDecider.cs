using Payments.Actors.Events;
using Payments.Actors.Grains.Options;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// The wallet's rules as pure functions: (wallet, command or answer, ids, now) -> decision. No I/O, no clock,
/// no SQL, no grain: the caller reads what a rule needs (a stored operation, a stored hold), mints the ids and
/// passes the time, so everything here is unit-tested without a silo. A Bank transfer has two halves: the
/// start records the intent (committed before the Bank is called) and <see cref="ApplyBankOutcome"/> its answer.
/// </summary>
public static partial class WalletDecider
{
    /// <summary>
    /// Replays a finished operation, reports one still waiting for the Bank, or refuses a key reused for a different
    /// request; null when the key names no operation yet.
    /// </summary>
    public static WalletResult? Replay(WalletAggregate wallet, IIdempotentCommand command, string kind, KeyedWalletOperation? stored, DateTimeOffset now)
    {
        if (stored is null)
        {
            return null;
        }

        if (stored.WalletUid != wallet.State?.Uid || stored.Kind != kind || stored.Fingerprint != command.Fingerprint)
        {
            return KeyReused(command.IdempotencyKey) with { StoredFieldDigests = stored.FieldDigests };
        }

        if (stored.Result is { } result)
        {
            return result with { Replayed = true };
        }

        return wallet.Pending.TryGetValue(stored.OperationId, out var operation)
            ? new WalletResult(WalletResultCode.Pending,
                OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, WalletOperationStates.Pending, null, null,
                    wallet.State!, operation.StartedAt, now, operation.Metadata),
                null, $"The {kind} is still waiting for the Bank's answer.", Replayed: true)
            : WalletResult.Rejected(WalletResultCode.OperationInProgress, "The operation is in progress; retry with the same Idempotency-Key.");
    }

    /// <summary>The first cash-in creates the wallet (as <paramref name="newWalletUid"/>) and fixes its currency.</summary>
    public static WalletDecision CashIn(WalletAggregate wallet, CashIn command, Guid operationId, Guid newWalletUid, WalletsOptions limits,
        DateTimeOffset now)
    {
        if (wallet.State is { } existing && existing.Currency != command.Currency)
        {
            return CurrencyMismatch(wallet.WalletId, existing, command.Currency);
        }

        if (wallet.Pending.Count >= limits.PendingTransfersPerWalletMax)
        {
            return TooManyPending(wallet.WalletId, limits);
        }

        var state = wallet.State ?? WalletState.New(newWalletUid, wallet.MerchantId, wallet.WalletId, command.Currency, now);
        return StartTransfer(wallet, state, WalletOperationKinds.CashIn, command, command.AmountMinor, operationId, now, command.Metadata);
    }

    public static WalletDecision CashOut(WalletAggregate wallet, CashOut command, Guid operationId, WalletsOptions limits, DateTimeOffset now)
    {
        if (RefuseDebit(wallet, command.Currency, command.AmountMinor) is { } refusal)
        {
            return refusal;
        }

        if (wallet.Pending.Count >= limits.PendingTransfersPerWalletMax)
        {
            return TooManyPending(wallet.WalletId, limits);
        }

        // The money leaves the available balance before the Bank is asked to pay it out: two
        // cash-outs can never both spend the same balance, whatever the Bank does or how long it takes.
        return StartTransfer(wallet, wallet.State!.Debit(command.AmountMinor, now), WalletOperationKinds.CashOut, command, command.AmountMinor,
            operationId, now, command.Metadata);
    }

    public static WalletDecision PlaceHold(WalletAggregate wallet, PlaceHold command, Guid holdId, Guid operationId, WalletsOptions limits,
        DateTimeOffset now)
    {
        if (RefuseDebit(wallet, command.Currency, command.AmountMinor) is { } refusal)
        {
            return refusal;
        }

        if (wallet.Holds.Count >= limits.HoldsPerWalletMax)
        {
            return WalletDecision.Reject(WalletResultCode.LimitExceeded, $"A wallet has at most {limits.HoldsPerWalletMax} open holds.");
        }

        if (command.ExpiresIn <= TimeSpan.Zero || command.ExpiresIn > limits.HoldExpiryMax)
        {
            return WalletDecision.Reject(WalletResultCode.LimitExceeded, $"A hold lasts at most {limits.HoldExpiryMax.TotalSeconds:0} seconds.");
        }

        var hold = new WalletHold(holdId, command.AmountMinor, PaymentId: null, now + command.ExpiresIn, now, command.Metadata);
        var next = wallet.State!.Hold(command.AmountMinor, now);
        var result = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operationId, WalletOperationKinds.Hold, command.AmountMinor, WalletOperationStates.Succeeded, null, null, next, now, now,
                command.Metadata),
            hold.ToSnapshot(next, WalletHoldStates.Held, 0, now), null, Replayed: false);
        return new WalletDecision(wallet with { State = next, Holds = wallet.Holds.SetItem(hold.HoldId, hold) },
            [
                new HoldOpened(hold, WalletHoldStates.Held, 0),
                new KeyClaimed(command.IdempotencyKey, command.Fingerprint, command.FieldDigests),
                Finished(operationId, WalletOperationKinds.Hold, command, command.AmountMinor, hold.HoldId, result) with { Metadata = command.Metadata },
            ],
            [], result);
    }

    /// <summary><paramref name="storedHold"/>: the hold as stored, read only when it is not held (it tells "unknown" from "ended").</summary>
    public static WalletDecision CaptureHold(WalletAggregate wallet, CaptureHold command, StoredWalletHold? storedHold, Guid operationId,
        DateTimeOffset now) =>
        EndHold(wallet, command, command.HoldId, WalletOperationKinds.Capture, command.AmountMinor, storedHold, operationId, now);

    /// <summary><paramref name="storedHold"/>: the hold as stored, read only when it is not held (it tells "unknown" from "ended").</summary>
    public static WalletDecision ReleaseHold(WalletAggregate wallet, ReleaseHold command, StoredWalletHold? storedHold, Guid operationId,
        DateTimeOffset now) =>
        EndHold(wallet, command, command.HoldId, WalletOperationKinds.Release, captureMinor: null, storedHold, operationId, now);

    /// <summary>Applies the Bank's answer (live or from a status inquiry) to a pending transfer; nothing to write while it is unknown.</summary>
    public static WalletDecision ApplyBankOutcome(WalletAggregate wallet, PendingBankOperation operation, PspResult result, DateTimeOffset now)
    {
        var state = wallet.State;
        // An answer for a transfer no longer pending here still decides: its write finds the row finished and conflicts.
        Invariant.Assert(state is not null, $"Wallet {wallet.WalletId}: a Bank answer arrived for {operation.OperationId}, but there is no wallet.");
        if (result.Outcome == PspOutcome.Unknown)
        {
            return new WalletDecision(null, [], [], new WalletResult(WalletResultCode.Pending,
                OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, WalletOperationStates.Pending, result.PspReference, null,
                    state!, operation.StartedAt, now, operation.Metadata),
                null, $"The Bank's answer to the {operation.Kind} is not known yet; the operation stays pending until it is.", Replayed: false));
        }

        var settled = wallet with { Pending = wallet.Pending.Remove(operation.OperationId) };
        if (result.Outcome == PspOutcome.Rejected && PspErrorCodes.IsTransient(result.DeclineCode))
        {
            // Nothing reached the Bank: forget the operation, give back what a cash-out reserved, free the key for a retry.
            return new WalletDecision(settled with { State = operation.IsCashOut ? state!.Credit(operation.AmountMinor, now) : state },
                [new TransferForgotten(operation.OperationId), new KeyReleased(operation.IdempotencyKey)], [],
                WalletResult.Rejected(WalletResultCode.BankUnavailable,
                    $"The Bank could not take the {operation.Kind} now ({result.DeclineCode}); nothing was moved. Retry with the same Idempotency-Key."));
        }

        var booked = result.Outcome == PspOutcome.Approved;
        var operationState = booked ? WalletOperationStates.Succeeded
            : result.Outcome == PspOutcome.Declined ? WalletOperationStates.Declined
            : WalletOperationStates.Failed;
        var declineCode = booked ? null : result.DeclineCode ?? (result.Outcome == PspOutcome.NotFound ? "NOT_PROCESSED_BY_BANK" : "BANK_REJECTED");

        // A booked cash-in credits the wallet; a cash-out that did not happen gives its reservation back.
        var next = booked != operation.IsCashOut ? state!.Credit(operation.AmountMinor, now) : state!;
        var finished = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operation.OperationId, operation.Kind, operation.AmountMinor, operationState, result.PspReference, declineCode,
                next, operation.StartedAt, now, operation.Metadata),
            null, null, Replayed: false);
        WalletEvent[] events = booked
            ? [new WalletEvent(operation.IsCashOut ? WalletEventTypes.CashedOut : WalletEventTypes.CashedIn, operation.AmountMinor, operation.OperationId,
                Metadata: operation.Metadata)]
            : [];
        return new WalletDecision(settled with { State = next },
            [new TransferCompleted(operation.OperationId, operationState, result.PspReference, declineCode, finished)], events, finished);
    }

    /// <summary>Releases the holds expired by <paramref name="now"/>, at most <paramref name="max"/> (the rest wait for the next round).</summary>
    public static WalletDecision ExpireDueHolds(WalletAggregate wallet, DateTimeOffset now, int max)
    {
        var due = wallet.Holds.Values.Where(h => h.ExpiresAt <= now).OrderBy(h => h.ExpiresAt).ThenBy(h => h.HoldId).Take(max).ToList();
        if (wallet.State is not { } state || due.Count == 0)
        {
            return new WalletDecision(null, [], [], new WalletResult(WalletResultCode.Ok, null, null, "No hold is due.", Replayed: false));
        }

        var next = state;
        foreach (var hold in due)
        {
            next = next.EndHold(hold.AmountMinor, 0, now);
        }

        // One commit, one version step, however many holds it ends.
        next = next with { Version = state.Version + 1 };
        return new WalletDecision(wallet with { State = next, Holds = wallet.Holds.RemoveRange(due.Select(h => h.HoldId)) },
            [.. due.Select(h => new HoldEnded(h.HoldId, WalletHoldStates.Expired, 0))], [],
            new WalletResult(WalletResultCode.Ok, null, null, $"{due.Count} holds expired.", Replayed: false));
    }

    public static WalletResult KeyReused(string idempotencyKey) => WalletResult.Rejected(WalletResultCode.IdempotencyKeyReused,
        $"Idempotency-Key '{idempotencyKey}' was already used for a different request.");

    public static WalletResult ChangedConcurrently() => WalletResult.Rejected(WalletResultCode.OperationInProgress,
        "The wallet changed concurrently; retry with the same Idempotency-Key.");

    private static WalletDecision EndHold(WalletAggregate wallet, IIdempotentCommand command, Guid holdId, string kind, long? captureMinor,
        StoredWalletHold? storedHold, Guid operationId, DateTimeOffset now)
    {
        if (wallet.State is not { } state)
        {
            return NotFound(wallet.WalletId);
        }

        if (!wallet.Holds.TryGetValue(holdId, out var hold))
        {
            return storedHold is null
                ? WalletDecision.Reject(WalletResultCode.HoldNotFound, $"Hold {holdId} was not found on wallet {wallet.WalletId}.")
                : WalletDecision.Reject(WalletResultCode.InvalidState, $"Hold {holdId} is {storedHold.State}; only a HELD hold can be captured or released.");
        }

        if (hold.PaymentId is { } paymentId)
        {
            return WalletDecision.Reject(WalletResultCode.InvalidState, $"Hold {holdId} belongs to payment {paymentId}: capture, void or refund the payment instead.");
        }

        var capture = kind == WalletOperationKinds.Capture;
        var captured = capture ? captureMinor ?? hold.AmountMinor : 0;
        if (captured > hold.AmountMinor)
        {
            return WalletDecision.Reject(WalletResultCode.AmountExceedsHeld, $"Capture of {captured} exceeds the held amount {hold.AmountMinor}.");
        }

        var next = state.EndHold(hold.AmountMinor, captured, now);
        var holdState = capture ? WalletHoldStates.Captured : WalletHoldStates.Released;
        var amount = capture ? captured : hold.AmountMinor;
        var result = new WalletResult(WalletResultCode.Ok,
            OperationSnapshot(operationId, kind, amount, WalletOperationStates.Succeeded, null, null, next, now, now),
            hold.ToSnapshot(next, holdState, captured, now), null, Replayed: false);

        // Money leaves the wallet: the ledger books it from this event, committed with the change it describes.
        WalletEvent[] events = captured > 0 ? [new WalletEvent(WalletEventTypes.HoldCaptured, captured, operationId, holdId, hold.Metadata)] : [];
        return new WalletDecision(wallet with { State = next, Holds = wallet.Holds.Remove(holdId) },
            [
                new HoldEnded(holdId, holdState, captured),
                new KeyClaimed(command.IdempotencyKey, command.Fingerprint, command.FieldDigests),
                Finished(operationId, kind, command, amount, holdId, result),
            ],
            events, result);
    }

    private static WalletDecision StartTransfer(WalletAggregate wallet, WalletState state, string kind, IIdempotentCommand command, long amountMinor,
        Guid operationId, DateTimeOffset now, Metadata? metadata)
    {
        // Our request id at the Bank is the operation's id: the same after any crash or retry.
        var operation = new PendingBankOperation(operationId, kind, command.IdempotencyKey, operationId.ToString("N"), amountMinor, now, metadata);
        var result = new WalletResult(WalletResultCode.Pending,
            OperationSnapshot(operationId, kind, amountMinor, WalletOperationStates.Pending, null, null, state, now, now, metadata),
            null, $"The {kind} is recorded and goes to the Bank.", Replayed: false);
        return new WalletDecision(wallet with { State = state, Pending = wallet.Pending.SetItem(operationId, operation) },
            [new KeyClaimed(command.IdempotencyKey, command.Fingerprint, command.FieldDigests), new TransferStarted(operation, command.Fingerprint)], [], result, operation);
    }

    /// <summary>The checks every debit shares: the wallet exists, speaks the currency and has the money. Nothing is written when one fails.</summary>
    private static WalletDecision? RefuseDebit(WalletAggregate wallet, string currency, long amountMinor) => wallet.State switch
    {
        null => NotFound(wallet.WalletId),
        { } state when state.Currency != currency => CurrencyMismatch(wallet.WalletId, state, currency),
        { } state when state.AvailableMinor < amountMinor => WalletDecision.Reject(WalletResultCode.InsufficientFunds,
            $"Wallet {wallet.WalletId} has {state.AvailableMinor} {state.Currency} available; {amountMinor} was asked for."),
        _ => null,
    };

    private static WalletDecision NotFound(string walletId) => WalletDecision.Reject(WalletResultCode.NotFound, $"Wallet '{walletId}' was not found.");

    private static WalletDecision CurrencyMismatch(string walletId, WalletState state, string currency) => WalletDecision.Reject(
        WalletResultCode.CurrencyMismatch, $"Wallet {walletId} holds {state.Currency}; it cannot take {currency}.");

    private static WalletDecision TooManyPending(string walletId, WalletsOptions limits) => WalletDecision.Reject(WalletResultCode.LimitExceeded,
        $"Wallet {walletId} already has {limits.PendingTransfersPerWalletMax} Bank transfers waiting for an answer; retry later.");

    private static OperationRecorded Finished(Guid operationId, string kind, IIdempotentCommand command, long amountMinor, Guid holdId, WalletResult result) =>
        new(operationId, kind, command.IdempotencyKey, command.Fingerprint, operationId.ToString("N"), amountMinor, WalletOperationStates.Succeeded,
            holdId, null, result);

    /// <summary><paramref name="metadata"/>: the merchant's on a cash-in, cash-out or hold; none on a capture or release, which create nothing.</summary>
    private static WalletOperationSnapshot OperationSnapshot(Guid operationId, string kind, long amountMinor, string state, string? bankReference,
        string? declineCode, WalletState wallet, DateTimeOffset createdAt, DateTimeOffset now, Metadata? metadata = null) =>
        new(operationId, kind, wallet.WalletId, amountMinor, wallet.Currency, state, bankReference, declineCode,
            wallet.AvailableMinor, wallet.HeldMinor, createdAt, now, metadata);
}
