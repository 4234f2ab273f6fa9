using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// Audit reads straight from PostgreSQL (a read replica in production), and the operator's repair of missing postings.
/// Stateless: one per silo as needed.
/// </summary>
[StatelessWorker]
public sealed partial class LedgerQueryGrain(LedgerStore store, IOptions<LedgerCompletenessOptions> options, TimeProvider time, ILogger<LedgerQueryGrain> logger)
    : Grain, ILedgerQueryGrain
{
    public Task<LedgerAccountPage> ListAccountsAsync(int limit, string? startingAfterCode) => store.ListAccountsAsync(limit, startingAfterCode);

    public Task<LedgerAccountBalance?> BalanceAsync(string accountCode, DateTimeOffset? asOf) => store.BalanceAsync(accountCode, asOf);

    public Task<LedgerEntryPage?> EntriesByAccountAsync(string accountCode, int limit, long? beforeId, DateTimeOffset? recordedGte = null,
        DateTimeOffset? recordedLt = null) =>
        store.EntriesByAccountAsync(accountCode, limit, beforeId, recordedGte, recordedLt);

    public Task<IReadOnlyList<LedgerEntryView>> EntriesByPaymentAsync(Guid paymentId) => store.EntriesByPaymentAsync(paymentId);

    public Task<LedgerVerifyReport> VerifyAsync(TimeSpan? settle = null) => store.VerifyAsync(time.GetUtcNow(), settle ?? options.Value.VerifySettle);

    /// <summary>
    /// Posts each missing money event from its outbox row through the ledger grain of its shard, exactly as the Kafka
    /// feed would: the same rules, and the journal's uniqueness by event id, so a repair run twice posts nothing twice.
    /// </summary>
    public async Task<LedgerRepairReport> RepairAsync(TimeSpan? settle = null)
    {
        var settleFor = settle ?? options.Value.VerifySettle;
        var (missing, _) = await store.GapsAsync(settleFor, LedgerQueryLimits.RepairEventsMax);
        var (posted, booked) = (0, 0);
        var rejected = new List<LedgerProblem>();
        foreach (var shard in missing.GroupBy(m => LedgerBooks.ShardOf(m.AggId.ToString("D"))))
        {
            foreach (var chunk in shard.Chunk(LedgerBooks.AppendEventsMax))
            {
                var results = await GrainFactory.GetGrain<ILedgerGrain>(shard.Key).AppendAsync([.. chunk.Select(m => m.Event)]);
                foreach (var ((aggId, e), result) in chunk.Zip(results))
                {
                    switch (result.Outcome)
                    {
                        case LedgerAppendOutcome.Posted:
                            posted++;
                            LogRepaired(logger, e.SourceSystem, e.EventId, e.EventType, aggId);
                            break;
                        case LedgerAppendOutcome.Duplicate:
                            booked++;
                            break;
                        default:
                            rejected.Add(new LedgerProblem("repair_rejected", null, null, $"{e.EventType} {e.EventId} of {aggId}: {result.Outcome} {result.Reason}",
                                EventId: e.EventId));
                            break;
                    }
                }
            }
        }

        // What still differs after the missing postings are in has no event left to post (a change made around the
        // ledger, or an outbox row already purged): listed for a person.
        var (_, unrepairable) = await store.GapsAsync(settleFor, 0);
        return new LedgerRepairReport(posted, booked, rejected, unrepairable, time.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger repair posted {SourceSystem} event {EventId} ({EventType}) of {AggregateId}, which had no posting")]
    private static partial void LogRepaired(ILogger logger, string sourceSystem, Guid eventId, string eventType, Guid aggregateId);
}
