using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// One book shard of the ledger's write side. Reentrant so that callers do not queue behind a commit:
/// their postings wait in <see cref="_pending"/> while the flush loop (the activation's only writer)
/// commits whatever has accumulated as one transaction, then answers every caller at once (group
/// commit). All state is touched only on the activation's scheduler. Nothing is
/// answered before its commit; idempotency and balance are the database's, so a second activation
/// of this grain, or another shard, can never double-post.
/// </summary>
[Reentrant]
public sealed partial class LedgerGrain(LedgerStore store, TimeProvider time, ILogger<LedgerGrain> logger) : Grain, ILedgerGrain
{
    /// <summary>Postings one transaction may carry.</summary>
    public const int BatchPostingsMax = 500;

    private readonly Queue<PendingPosting> _pending = new();
    private bool _flushing;

    public async Task<IReadOnlyList<LedgerAppendResult>> AppendAsync(IReadOnlyList<LedgerEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Invariant.Assert(events.Count <= LedgerBooks.AppendEventsMax,
            $"An append of {events.Count} events exceeds {LedgerBooks.AppendEventsMax}.");
        var now = time.GetUtcNow();
        var results = new LedgerAppendResult[events.Count];
        var waits = new List<(int Index, Task<LedgerAppendResult> Result)>();
        var firstOfKey = new Dictionary<(string, Guid), int>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var decision = PostingRules.Decide(e, now);
            if (decision.Rejection is { } reason)
            {
                LogRejected(logger, e.SourceSystem, e.EventId, e.EventType, reason);
                results[i] = new LedgerAppendResult(e.EventId, LedgerAppendOutcome.Rejected, reason);
            }
            else if (decision.Posting is not { } posting)
            {
                results[i] = new LedgerAppendResult(e.EventId, LedgerAppendOutcome.NoPosting);
            }
            else if (!firstOfKey.TryAdd((posting.SourceSystem, posting.SourceEventId), i))
            {
                // The same event twice in one call: the first occurrence posts, the others are its duplicates.
                results[i] = new LedgerAppendResult(e.EventId, LedgerAppendOutcome.Duplicate);
            }
            else
            {
                var pending = new PendingPosting(UuidV7.New(now), posting);
                _pending.Enqueue(pending);
                waits.Add((i, pending.Completion.Task));
            }
        }

        if (waits.Count > 0 && !_flushing)
        {
            _flushing = true;
            _ = FlushAsync();
        }

        foreach (var (index, result) in waits)
        {
            results[index] = await result;
        }

        return results;
    }

    /// <summary>Commits queued postings batch by batch until none are left. Runs on the activation's scheduler.</summary>
    private async Task FlushAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = new List<PendingPosting>(Math.Min(_pending.Count, BatchPostingsMax));
                var keys = new HashSet<(string, Guid)>();
                while (batch.Count < BatchPostingsMax && _pending.TryPeek(out var next)
                       && !keys.Contains((next.Posting.SourceSystem, next.Posting.SourceEventId)))
                {
                    batch.Add(_pending.Dequeue());
                    keys.Add((next.Posting.SourceSystem, next.Posting.SourceEventId));
                }

                await CommitAsync(batch);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task CommitAsync(List<PendingPosting> batch)
    {
        try
        {
            Complete(batch, await store.AppendAsync(this.GetPrimaryKeyLong(), [.. batch.Select(p => (p.TransactionId, p.Posting))]));
            return;
        }
        catch (Exception exception) when (IsRefusal(exception) && batch.Count > 1)
        {
            // One posting was refused by the database; find it by committing each alone.
            LogBatchSplit(logger, batch.Count, exception.Message);
        }
        catch (Exception exception) when (IsRefusal(exception))
        {
            // Refused alone, it is poison: retrying cannot help, the consumer dead-letters it.
            var posting = batch[0].Posting;
            LogRejected(logger, posting.SourceSystem, posting.SourceEventId, posting.EventType, exception.Message);
            batch[0].Completion.TrySetResult(new LedgerAppendResult(posting.SourceEventId, LedgerAppendOutcome.Rejected,
                $"refused by the ledger database: {exception.Message}"));
            return;
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        foreach (var pending in batch)
        {
            await CommitAsync([pending]);
        }
    }

    private void Complete(List<PendingPosting> batch, IReadOnlyDictionary<(string SourceSystem, Guid EventId), LedgerAppendResult> results)
    {
        foreach (var pending in batch)
        {
            var result = results[(pending.Posting.SourceSystem, pending.Posting.SourceEventId)];
            if (result.Outcome == LedgerAppendOutcome.Rejected)
            {
                LogRejected(logger, pending.Posting.SourceSystem, pending.Posting.SourceEventId, pending.Posting.EventType, result.Reason ?? "");
            }

            pending.Completion.TrySetResult(result);
        }
    }

    /// <summary>A refusal of the data (a constraint, a bad value, a posting that would half-merge) rather than an unavailable database.</summary>
    private static bool IsRefusal(Exception exception) =>
        exception is InvariantViolationException
        || exception is PostgresException postgres
           && (postgres.SqlState.StartsWith("23", StringComparison.Ordinal) || postgres.SqlState.StartsWith("22", StringComparison.Ordinal));

    private sealed class PendingPosting(Guid transactionId, LedgerPosting posting)
    {
        public Guid TransactionId { get; } = transactionId;

        public LedgerPosting Posting { get; } = posting;

        public TaskCompletionSource<LedgerAppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger rejected {SourceSystem} event {EventId} ({EventType}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string sourceSystem, Guid eventId, string eventType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ledger batch of {Postings} postings was refused ({Error}); committing them one by one")]
    private static partial void LogBatchSplit(ILogger logger, int postings, string error);
}
