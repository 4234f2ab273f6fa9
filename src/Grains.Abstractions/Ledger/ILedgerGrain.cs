namespace Payments.Actors.Ledger;

/// <summary>
/// The ledger's write side: turns events into balanced postings and appends them to ledger_entries.
/// The key is a book shard (any long). Correctness never depends on it: idempotency and balance are
/// enforced by PostgreSQL, and balances are sums over entries, so any event may go to any shard.
/// Shards only spread write throughput: each activation group-commits the events of all its callers,
/// one transaction per batch. Use <see cref="LedgerBooks.ShardOf"/> on the Kafka message key so an
/// aggregate's events always meet the same activation.
/// </summary>
[Alias("pa.ILedgerGrain")]
public interface ILedgerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Posts the events and completes only after the commit: one result per event, in order, each
    /// Posted, Duplicate, NoPosting or Rejected. Throws when the outcome is unknown (database
    /// unavailable): nothing may be acknowledged then, and offering the same events again is safe.
    /// At most <see cref="LedgerBooks.AppendEventsMax"/> events per call.
    /// </summary>
    Task<IReadOnlyList<LedgerAppendResult>> AppendAsync(IReadOnlyList<LedgerEvent> events);
}
