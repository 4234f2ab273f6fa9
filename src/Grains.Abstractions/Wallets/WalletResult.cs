namespace Payments.Actors.Wallets;

/// <summary>Expected outcomes are values (STYLE.md): the edge maps each code to a status and the error model.</summary>
[GenerateSerializer]
public enum WalletResultCode
{
    /// <summary>Done; the operation shows its final state (which may be DECLINED or FAILED by the Bank).</summary>
    Ok = 0,
    /// <summary>Accepted and durable, but the Bank's answer is not known yet; the operation is pending.</summary>
    Pending = 1,
    NotFound = 2,
    IdempotencyKeyReused = 3,
    CurrencyMismatch = 4,
    InsufficientFunds = 5,
    HoldNotFound = 6,
    /// <summary>The hold is no longer held (captured, released or expired).</summary>
    InvalidState = 7,
    AmountExceedsHeld = 8,
    LimitExceeded = 9,
    /// <summary>The Bank could not take the transfer now (breaker, bulkhead, switched off); nothing was sent. Retry with the same key.</summary>
    BankUnavailable = 10,
    /// <summary>The wallet changed concurrently (another activation); retry with the same key.</summary>
    OperationInProgress = 11,
}

/// <summary>The answer to a wallet command: the operation (cash-in, cash-out, hold, capture, release) and the wallet after it.</summary>
[GenerateSerializer, Immutable, Alias("pa.WalletResult")]
public sealed record WalletResult(
    [property: Id(0)] WalletResultCode Code,
    [property: Id(1)] WalletOperationSnapshot? Operation,
    [property: Id(2)] WalletHoldSnapshot? Hold,
    [property: Id(3)] string? Message,
    [property: Id(4)] bool Replayed)
{
    public static WalletResult Rejected(WalletResultCode code, string message) => new(code, null, null, message, Replayed: false);
}

/// <summary>One operation on a wallet, with the wallet's balances right after it.</summary>
[GenerateSerializer, Immutable, Alias("pa.WalletOperationSnapshot")]
public sealed record WalletOperationSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string WalletId,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string State,
    [property: Id(6)] string? BankReference,
    [property: Id(7)] string? DeclineCode,
    [property: Id(8)] long AvailableMinor,
    [property: Id(9)] long HeldMinor,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable, Alias("pa.WalletHoldSnapshot")]
public sealed record WalletHoldSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string WalletId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] long CapturedMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string State,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] Guid? PaymentId,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt);

/// <summary>
/// A wallet as the API shows it. <c>PendingCashOutMinor</c>: cash-outs reserved and sent to the Bank whose
/// answer is not in yet. <c>BalanceMinor</c>: what the wallet owes its holder by its own books (available +
/// held + pending cash-outs); <c>LedgerMinor</c>: the balance of its account in the double-entry ledger,
/// which follows through the outbox and Kafka and so may lag behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.WalletSnapshot")]
public sealed record WalletSnapshot(
    [property: Id(0)] Guid Uid,
    [property: Id(1)] string WalletId,
    [property: Id(2)] string Currency,
    [property: Id(3)] long AvailableMinor,
    [property: Id(4)] long HeldMinor,
    [property: Id(5)] long PendingCashOutMinor,
    [property: Id(6)] long LedgerMinor,
    [property: Id(7)] IReadOnlyList<WalletHoldSnapshot> Holds,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] int Version,
    [property: Id(11)] long BalanceMinor);

public static class WalletOperationKinds
{
    public const string CashIn = "cashin";
    public const string CashOut = "cashout";
    public const string Hold = "hold";
    public const string Capture = "capture";
    public const string Release = "release";
    public const string PaymentAuthorize = "payment_authorize";
    public const string PaymentCapture = "payment_capture";
    public const string PaymentVoid = "payment_void";
    public const string PaymentRefund = "payment_refund";
}

public static class WalletOperationStates
{
    public const string Pending = "PENDING";
    public const string Succeeded = "SUCCEEDED";
    public const string Declined = "DECLINED";
    public const string Failed = "FAILED";
}

public static class WalletHoldStates
{
    public const string Held = "HELD";
    public const string Captured = "CAPTURED";
    public const string Released = "RELEASED";
    public const string Expired = "EXPIRED";
}
