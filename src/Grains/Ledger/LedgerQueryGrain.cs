using Orleans.Concurrency;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>Audit reads straight from PostgreSQL (a read replica in production). Stateless: one per silo as needed.</summary>
[StatelessWorker]
public sealed class LedgerQueryGrain(LedgerStore store, TimeProvider time) : Grain, ILedgerQueryGrain
{
    public Task<LedgerAccountPage> ListAccountsAsync(int limit, string? startingAfterCode) => store.ListAccountsAsync(limit, startingAfterCode);

    public Task<LedgerAccountBalance?> BalanceAsync(string accountCode, DateTimeOffset? asOf) => store.BalanceAsync(accountCode, asOf);

    public Task<LedgerEntryPage?> EntriesByAccountAsync(string accountCode, int limit, long? beforeId) =>
        store.EntriesByAccountAsync(accountCode, limit, beforeId);

    public Task<IReadOnlyList<LedgerEntryView>> EntriesByPaymentAsync(Guid paymentId) => store.EntriesByPaymentAsync(paymentId);

    public Task<LedgerVerifyReport> VerifyAsync() => store.VerifyAsync(time.GetUtcNow());
}
