using Payments.Actors.Psp;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// What <see cref="WalletDecider"/> decided about a merchant's command or a Bank answer. <see cref="Next"/> null:
/// nothing to write (a refusal, or an answer still unknown). Otherwise <see cref="Changes"/> and <see cref="Events"/>
/// say what to commit (in one unit: <see cref="WalletWriteUnit"/>) before <see cref="Result"/> is given to anyone.
/// </summary>
public sealed record WalletDecision(
    WalletAggregate? Next,
    IReadOnlyList<WalletChange> Changes,
    IReadOnlyList<WalletEvent> Events,
    WalletResult Result,
    PendingBankOperation? Started = null)
{
    /// <summary>Why the command was refused; null when it was done or is pending.</summary>
    public WalletResultCode? Rejection => Result.Code is WalletResultCode.Ok or WalletResultCode.Pending ? null : Result.Code;

    public static WalletDecision Reject(WalletResultCode code, string message) => new(null, [], [], WalletResult.Rejected(code, message));
}

/// <summary>What the wallet answers a payment paid from it; <see cref="Next"/> is always written, declines included.</summary>
public sealed record WalletPaymentDecision(WalletAggregate Next, IReadOnlyList<WalletChange> Changes, PspResult Result);

/// <summary>A wallet event for the outbox (docs/events.md); its amount is the money it moves, its metadata that of the operation or hold it describes.</summary>
public sealed record WalletEvent(string Type, long AmountMinor, Guid OperationId, Guid? HoldId = null, Metadata? Metadata = null);

/// <summary>An operation found by the merchant's key, its stored result read: what a replay needs.</summary>
public sealed record KeyedWalletOperation(Guid OperationId, Guid WalletUid, string Kind, string? Fingerprint, WalletResult? Result, string? FieldDigests = null);

/// <summary>
/// One durable fact of a decision besides the balances (which the write unit derives from the states before and
/// after). Facts, not SQL: the decider knows no tables.
/// </summary>
public abstract record WalletChange;

/// <summary>The merchant's idempotency key is claimed for this wallet operation.</summary>
public sealed record KeyClaimed(string IdempotencyKey, string Fingerprint, string? FieldDigests = null) : WalletChange;

/// <summary>The merchant's key is freed: the operation it named provably never happened.</summary>
public sealed record KeyReleased(string IdempotencyKey) : WalletChange;

/// <summary>A hold is created in <paramref name="State"/> (HELD, or CAPTURED at once for an auto-captured payment).</summary>
public sealed record HoldOpened(WalletHold Hold, string State, long CapturedMinor) : WalletChange;

/// <summary>A held hold ends: captured, released or expired.</summary>
public sealed record HoldEnded(Guid HoldId, string State, long CapturedMinor) : WalletChange;

/// <summary>A Bank transfer is recorded as pending before the Bank is asked.</summary>
public sealed record TransferStarted(PendingBankOperation Operation, string Fingerprint) : WalletChange;

/// <summary>The Bank answered a pending transfer.</summary>
public sealed record TransferCompleted(Guid OperationId, string State, string? BankReference, string? DeclineCode, WalletResult Result) : WalletChange;

/// <summary>A pending transfer the Bank provably never saw is forgotten.</summary>
public sealed record TransferForgotten(Guid OperationId) : WalletChange;

/// <summary>An operation finished in one step (a hold, its capture or release, a payment's request), with the result every replay returns.</summary>
public sealed record OperationRecorded(
    Guid OperationId,
    string Kind,
    string? IdempotencyKey,
    string? Fingerprint,
    string RequestId,
    long AmountMinor,
    string State,
    Guid? HoldId,
    string? DeclineCode,
    object Result,
    Metadata? Metadata = null) : WalletChange;
