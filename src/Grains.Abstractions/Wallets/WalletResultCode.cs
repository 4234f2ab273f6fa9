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
