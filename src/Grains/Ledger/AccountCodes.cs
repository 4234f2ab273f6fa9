namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// The chart of accounts (docs/events.md). One currency per account, named last in its code; merchant ids
/// and PSP names never contain ':', so every code decodes one way even when a wallet id does.
/// </summary>
public static class AccountCodes
{
    /// <summary>What the PSP owes us for captured card payments until it settles (asset).</summary>
    public static LedgerAccountRef PspClearing(string psp, string currency) =>
        new($"psp_clearing:{psp}:{currency}", LedgerAccountType.Asset, currency, null, psp);

    /// <summary>What we owe the merchant for its captured payments (liability).</summary>
    public static LedgerAccountRef MerchantPayable(string merchantId, string currency) =>
        new($"merchant_payable:{merchantId}:{currency}", LedgerAccountType.Liability, currency, merchantId, null);

    /// <summary>What we owe the holder of a wallet (liability).</summary>
    public static LedgerAccountRef Wallet(string merchantId, string walletId, string currency) =>
        new($"wallet:{merchantId}:{walletId}:{currency}", LedgerAccountType.Liability, currency, merchantId, walletId);

    /// <summary>Our money at the bank that funds wallets (asset).</summary>
    public static LedgerAccountRef Bank(string currency) =>
        new($"bank:{currency}", LedgerAccountType.Asset, currency, null, null);
}
