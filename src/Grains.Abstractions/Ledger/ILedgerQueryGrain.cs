namespace Payments.Actors.Ledger;

/// <summary>The ledger's read side for operators and auditors: derived balances, entries, verification. Stateless (key 0).</summary>
[Alias("pa.ILedgerQueryGrain")]
public interface ILedgerQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Accounts ordered by code, each with its balance derived from its entries.</summary>
    Task<LedgerAccountPage> ListAccountsAsync(int limit, string? startingAfterCode);

    /// <summary>The account's balance from every entry, or only from entries recorded at or before <paramref name="asOf"/>. Null if there is no such account.</summary>
    Task<LedgerAccountBalance?> BalanceAsync(string accountCode, DateTimeOffset? asOf);

    /// <summary>
    /// The account's entries, newest first, older than entry id <paramref name="beforeId"/> when given, recorded at or after
    /// <paramref name="recordedGte"/> and before <paramref name="recordedLt"/> when given. Null if there is no such account.
    /// </summary>
    Task<LedgerEntryPage?> EntriesByAccountAsync(string accountCode, int limit, long? beforeId, DateTimeOffset? recordedGte = null, DateTimeOffset? recordedLt = null);

    /// <summary>Every entry that names the payment, oldest first (at most <see cref="LedgerQueryLimits.PaymentEntriesMax"/>).</summary>
    Task<IReadOnlyList<LedgerEntryView>> EntriesByPaymentAsync(Guid paymentId);

    /// <summary>
    /// Proves every transaction balances per currency, every currency sums to zero and no entry is orphaned, and that
    /// the books are complete for everything that changed more than <paramref name="settle"/> ago (by default the
    /// configured <c>Ledger:VerifySettle</c>).
    /// </summary>
    Task<LedgerVerifyReport> VerifyAsync(TimeSpan? settle = null);

    /// <summary>Posts every money event verify finds without its posting (at most <see cref="LedgerQueryLimits.RepairEventsMax"/> per call); idempotent.</summary>
    Task<LedgerRepairReport> RepairAsync(TimeSpan? settle = null);
}
