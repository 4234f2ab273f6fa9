using Payments.Actors.Wallets;

namespace Payments.Actors.ApiFront.Apis.Wallets;

/// <summary>
/// Body of <c>POST /v1/wallets/{wallet_id}/cashin</c> and <c>/cashout</c>. <c>iban</c> names the holder's
/// account at the Bank; without it the configured settlement account is used. <c>metadata</c> is the operation's.
/// </summary>
public sealed record WalletTransferRequest(long? AmountMinor, string? Currency, string? Iban, Dictionary<string, string?>? Metadata = null)
{
    // An account number must never reach a log line.
    public override string ToString() => $"WalletTransferRequest {{ AmountMinor = {AmountMinor}, Currency = {Currency} }}";
}

/// <summary>Body of <c>POST /v1/wallets/{wallet_id}/holds</c>; <c>metadata</c> is the hold's.</summary>
public sealed record HoldRequest(long? AmountMinor, string? Currency, long? ExpiresInSeconds, Dictionary<string, string?>? Metadata = null);

/// <summary>Body of <c>POST /v1/wallets/{wallet_id}/holds/{hold_id}/capture</c>; no amount captures the whole hold.</summary>
public sealed record HoldCaptureRequest(long? AmountMinor);

/// <summary>Body of <c>POST .../holds/{hold_id}/release</c>: nothing to say, but an empty object is accepted.</summary>
public sealed record HoldReleaseRequest;

public sealed record WalletOperationResponse(
    Guid Id,
    string Object,
    string Type,
    string WalletId,
    long AmountMinor,
    string Currency,
    string State,
    string? BankReference,
    string? DeclineCode,
    long AvailableMinor,
    long HeldMinor,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Metadata Metadata)
{
    public static WalletOperationResponse From(WalletOperationSnapshot o) => new(
        o.Id, "wallet_operation", o.Kind, o.WalletId, o.AmountMinor, o.Currency, o.State, o.BankReference, o.DeclineCode,
        o.AvailableMinor, o.HeldMinor, o.CreatedAt, o.UpdatedAt, o.Metadata ?? Metadata.Empty);
}

public sealed record WalletHoldResponse(
    Guid Id,
    string Object,
    string WalletId,
    long AmountMinor,
    long CapturedMinor,
    string Currency,
    string State,
    DateTimeOffset? ExpiresAt,
    Guid? PaymentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Metadata Metadata)
{
    public static WalletHoldResponse From(WalletHoldSnapshot h) => new(
        h.Id, "wallet_hold", h.WalletId, h.AmountMinor, h.CapturedMinor, h.Currency, h.State, h.ExpiresAt, h.PaymentId, h.CreatedAt, h.UpdatedAt,
        h.Metadata ?? Metadata.Empty);
}

public sealed record WalletResponse(
    string WalletId,
    string Object,
    string Currency,
    long AvailableMinor,
    long HeldMinor,
    long PendingCashoutMinor,
    long BalanceMinor,
    long LedgerMinor,
    IReadOnlyList<WalletHoldResponse> Holds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static WalletResponse From(WalletSnapshot w) => new(
        w.WalletId, "wallet", w.Currency, w.AvailableMinor, w.HeldMinor, w.PendingCashOutMinor, w.BalanceMinor, w.LedgerMinor,
        [.. w.Holds.Select(WalletHoldResponse.From)], w.CreatedAt, w.UpdatedAt, w.Version);
}
