using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// The durable balances of one wallet: one row of <c>wallets</c>. Immutable; every change makes a new
/// one through the pure methods below, each of which checks that no balance goes negative.
/// </summary>
public sealed record WalletState(
    Guid Uid,
    string MerchantId,
    string WalletId,
    string Currency,
    long AvailableMinor,
    long HeldMinor,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static WalletState New(Guid uid, string merchantId, string walletId, string currency, DateTimeOffset now) =>
        new(uid, merchantId, walletId, currency, 0, 0, 1, now, now);

    /// <summary>Money in (cash-in booked, refund of a wallet payment).</summary>
    public WalletState Credit(long amountMinor, DateTimeOffset now) => Next(AvailableMinor + Positive(amountMinor), HeldMinor, now);

    /// <summary>Money out of the available balance (cash-out reserved, auto-captured wallet payment).</summary>
    public WalletState Debit(long amountMinor, DateTimeOffset now) => Next(AvailableMinor - Positive(amountMinor), HeldMinor, now);

    /// <summary>Available -> held.</summary>
    public WalletState Hold(long amountMinor, DateTimeOffset now) => Next(AvailableMinor - Positive(amountMinor), HeldMinor + amountMinor, now);

    /// <summary>A hold ends: <paramref name="capturedMinor"/> of it leaves the wallet, the rest returns to available.</summary>
    public WalletState EndHold(long holdMinor, long capturedMinor, DateTimeOffset now)
    {
        Invariant.Assert(capturedMinor >= 0 && capturedMinor <= holdMinor, $"Wallet {Uid}: capture {capturedMinor} of a hold of {holdMinor}.");
        return Next(AvailableMinor + (holdMinor - capturedMinor), HeldMinor - Positive(holdMinor), now);
    }

    public WalletSnapshot ToSnapshot(long pendingCashOutMinor, IReadOnlyList<WalletHoldSnapshot> holds, long ledgerMinor) => new(
        Uid, WalletId, Currency, AvailableMinor, HeldMinor, pendingCashOutMinor, ledgerMinor, holds, CreatedAt, UpdatedAt, Version,
        // What the wallet owes its holder, including cash-outs the Bank has not confirmed: what the ledger converges to.
        AvailableMinor + HeldMinor + pendingCashOutMinor);

    private WalletState Next(long available, long held, DateTimeOffset now)
    {
        Invariant.Assert(available >= 0, $"Wallet {Uid}: available would be {available}.");
        Invariant.Assert(held >= 0, $"Wallet {Uid}: held would be {held}.");
        return this with { AvailableMinor = available, HeldMinor = held, Version = Version + 1, UpdatedAt = now };
    }

    private long Positive(long amountMinor)
    {
        Invariant.Assert(amountMinor > 0, $"Wallet {Uid}: an amount of {amountMinor} must be positive.");
        return amountMinor;
    }
}

/// <summary>A hold that is still HELD (only those live in the grain's memory); <paramref name="Metadata"/> is the merchant's, from its placing.</summary>
public sealed record WalletHold(Guid HoldId, long AmountMinor, Guid? PaymentId, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt, Metadata? Metadata = null)
{
    public WalletHoldSnapshot ToSnapshot(WalletState wallet, string state, long capturedMinor, DateTimeOffset updatedAt) =>
        new(HoldId, wallet.WalletId, AmountMinor, capturedMinor, wallet.Currency, state, ExpiresAt, PaymentId, CreatedAt, updatedAt, Metadata);
}

/// <summary>
/// A Bank transfer recorded durably but not answered yet. It is committed before the Bank is called,
/// so after a crash or a timeout we know which request (our idempotency key at the Bank) to ask about. <paramref name="Metadata"/>
/// is the merchant's, from the cash-in or cash-out request.
/// </summary>
public sealed record PendingBankOperation(
    Guid OperationId,
    string Kind,
    string IdempotencyKey,
    string RequestId,
    long AmountMinor,
    DateTimeOffset StartedAt,
    Metadata? Metadata = null)
{
    public bool IsCashOut => Kind == WalletOperationKinds.CashOut;
}
