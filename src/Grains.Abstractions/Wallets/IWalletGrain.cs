using Orleans.Concurrency;
using Payments.Actors.Psp;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Wallets;

/// <summary>
/// One merchant's wallet, keyed <c>{merchant id}/{wallet id}</c> (<see cref="KeyOf"/>), so merchant A's
/// "w1" is not merchant B's. The activation serialises every balance change: it is the lock, and
/// PostgreSQL's CHECK constraints are the last line of defence against a second activation.
/// </summary>
[Alias("pa.IWalletGrain")]
public interface IWalletGrain : IGrainWithStringKey
{
    Task<WalletResult> CashInAsync(CashIn command);

    Task<WalletResult> CashOutAsync(CashOut command);

    Task<WalletResult> PlaceHoldAsync(PlaceHold command);

    Task<WalletResult> CaptureHoldAsync(CaptureHold command);

    Task<WalletResult> ReleaseHoldAsync(ReleaseHold command);

    /// <summary>
    /// A payment paid from this wallet, as its PSP: authorise = hold (hold id = payment id), capture =
    /// debit the held amount, void = release, refund = credit back. Idempotent on the request id.
    /// </summary>
    Task<PspResult> ExecutePaymentAsync(PspRequest request);

    /// <summary>What became of a payment request sent before; <see cref="PspOutcome.NotFound"/> if it never ran.</summary>
    Task<PspResult> InquirePaymentAsync(PspRequest request);

    /// <summary>
    /// Applies the Bank's notification about one of this wallet's cash-ins or cash-outs (its <c>transfer_ref</c> is our
    /// request id): it settles the pending transfer it answers, or changes nothing (a duplicate, or a contradiction
    /// recorded as a discrepancy). Throws when it could not be judged now (retry it).
    /// </summary>
    Task<PspNotificationOutcome> ApplyTransferNotificationAsync(PspNotification notification);

    /// <summary>Reads never queue behind a Bank call: they see the last durable state. Null when the wallet does not exist.</summary>
    [AlwaysInterleave]
    Task<WalletSnapshot?> GetAsync();

    public static string KeyOf(string merchantId, string walletId) => $"{merchantId}/{walletId}";
}
