using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>The books' audit: balance, completeness and hash-chain verification, chain anchors, and the gaps the repair fills.</summary>
public sealed partial class LedgerStore
{
    /// <summary>
    /// Runs the checks of ledger_verify_problems() (balance) and ledger_completeness_problems() (completeness) and the
    /// totals on one snapshot, so they describe the same books.
    /// </summary>
    public async Task<LedgerVerifyReport> VerifyAsync(DateTimeOffset now, TimeSpan settle, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT count(*), count(DISTINCT transaction_id), (SELECT count(*) FROM accounts) FROM ledger_entries"),
                new NpgsqlBatchCommand(
                    "SELECT currency, count(DISTINCT transaction_id), count(*), " +
                    "coalesce(sum(amount_minor) FILTER (WHERE side = 'D'), 0)::bigint, coalesce(sum(amount_minor) FILTER (WHERE side = 'C'), 0)::bigint " +
                    "FROM ledger_entries GROUP BY currency ORDER BY currency"),
                new NpgsqlBatchCommand("SELECT count(*) FROM ledger_verify_problems()"),
                new NpgsqlBatchCommand($"SELECT kind, transaction_id, currency, detail FROM ledger_verify_problems() LIMIT {LedgerQueryLimits.VerifyProblemsMax}"),
                new NpgsqlBatchCommand("SELECT count(*) FROM ledger_completeness_problems($1)") { Parameters = { new() { Value = settle } } },
                new NpgsqlBatchCommand(
                    $"SELECT kind, currency, detail, event_id, payment_id, wallet_id FROM ledger_completeness_problems($1) LIMIT {LedgerQueryLimits.VerifyProblemsMax}")
                {
                    Parameters = { new() { Value = settle } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (entries, transactions, accounts) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));

        await reader.NextResultAsync(cancellationToken);
        var currencies = new List<LedgerCurrencyTotal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (debits, credits) = (reader.GetInt64(3), reader.GetInt64(4));
            currencies.Add(new LedgerCurrencyTotal(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), debits, credits, debits == credits));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var problemsTotal = reader.GetInt64(0);

        await reader.NextResultAsync(cancellationToken);
        var problems = new List<LedgerProblem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            problems.Add(new LedgerProblem(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var gapsTotal = reader.GetInt64(0);

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var problem = ReadCompletenessProblem(reader);
            if (problems.Count < LedgerQueryLimits.VerifyProblemsMax)
            {
                problems.Add(problem);
            }
        }

        await reader.CloseAsync();
        var (breaks, unchained) = await VerifyChainsAsync(connection, transaction, cancellationToken);
        problems.AddRange(breaks.Take(Math.Max(0, LedgerQueryLimits.VerifyProblemsMax - problems.Count)));
        return new LedgerVerifyReport(problemsTotal == 0, transactions, entries, accounts, currencies, problems, problemsTotal + gapsTotal + breaks.Count, now,
            Complete: gapsTotal == 0, ChainIntact: breaks.Count == 0, UnchainedEntries: unchained);
    }

    /// <summary>
    /// Recomputes every shard's hash chain in order and reports, per shard, the first entry that does not fit: a
    /// position missing (an entry removed) or a hash that differs (an entry altered, or one inserted around the ledger).
    /// Reads every chained entry once, streaming; the rest of a broken shard is not checked, its link is already gone.
    /// </summary>
    private static async Task<(List<LedgerProblem> Breaks, long Unchained)> VerifyChainsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        var breaks = new List<LedgerProblem>();
        await using (var command = new NpgsqlCommand(
            "SELECT e.chain_shard, e.chain_seq, e.chain_hash, e.id, e.transaction_id, e.source_system, e.source_event_id, e.event_type, e.leg, " +
            "a.code, e.side, e.amount_minor, e.currency, e.payment_id, e.wallet_id, e.memo, e.effective_at " +
            "FROM ledger_entries e LEFT JOIN accounts a ON a.id = e.account_id " +
            "WHERE e.chain_shard IS NOT NULL ORDER BY e.chain_shard, e.chain_seq", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            short? shard = null;
            var (expected, previous, broken) = (1L, LedgerChain.Genesis, false);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetInt16(0) != shard)
                {
                    shard = reader.GetInt16(0);
                    (expected, previous, broken) = (1L, LedgerChain.Genesis, false);
                }

                if (broken)
                {
                    continue;
                }

                var (seq, stored, id) = (reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetInt64(3));
                var link = new LedgerChain.Link(seq, reader.GetGuid(4), reader.GetString(5), reader.GetGuid(6), reader.GetString(7), reader.GetInt16(8),
                    reader.IsDBNull(9) ? "" : reader.GetString(9), reader.GetString(10), reader.GetInt64(11), reader.GetString(12),
                    reader.IsDBNull(13) ? null : reader.GetGuid(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                    reader.IsDBNull(15) ? null : reader.GetString(15), reader.GetFieldValue<DateTimeOffset>(16));
                var computed = LedgerChain.Hash(previous, link);
                string? problem = seq != expected
                    ? $"shard {shard}: entry {id} is at chain position {seq} where {expected} was expected: entries before it are missing"
                    : !CryptographicOperations.FixedTimeEquals(computed, stored)
                        ? $"shard {shard}: entry {id} at chain position {seq} does not match its hash: it was altered, or an entry before it was"
                        : null;
                if (problem is not null)
                {
                    breaks.Add(new LedgerProblem("chain_broken", link.TransactionId, link.Currency, problem, EntryId: id,
                        PaymentId: link.PaymentId, WalletId: link.WalletId));
                    broken = true;
                    continue;
                }

                (expected, previous) = (seq + 1, stored);
            }
        }

        await using (var anchors = new NpgsqlCommand(
            "SELECT a.chain_shard, a.chain_seq, a.anchored_at FROM (SELECT DISTINCT ON (chain_shard) * FROM ledger_chain_anchors ORDER BY chain_shard, chain_seq DESC) a " +
            "WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.chain_shard = a.chain_shard AND e.chain_seq = a.chain_seq AND e.chain_hash = a.chain_hash) " +
            "ORDER BY a.chain_shard", connection, transaction))
        await using (var reader = await anchors.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                breaks.Add(new LedgerProblem("chain_truncated", null, null,
                    $"shard {reader.GetInt16(0)}: chain position {reader.GetInt64(1)}, its head at {reader.GetFieldValue<DateTimeOffset>(2):O}, " +
                    "is no longer in the chain with its hash: entries were removed or rewritten"));
            }
        }

        await using var unchained = new NpgsqlCommand("SELECT count(*) FROM ledger_entries WHERE chain_shard IS NULL", connection, transaction);
        return (breaks, (long)(await unchained.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>
    /// Records each chain's head (<c>ledger_chain_anchors</c>), so that verify can tell if entries at a chain's end are
    /// later removed; anchors older than a day are pruned (the newest of each shard is written again while it is the head).
    /// </summary>
    public async Task AnchorChainsAsync(CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        var anchor = new NpgsqlBatchCommand(
            "INSERT INTO ledger_chain_anchors (chain_shard, chain_seq, chain_hash) " +
            "SELECT h.chain_shard, h.chain_seq, h.chain_hash FROM generate_series(0, $1) s " +
            "CROSS JOIN LATERAL (SELECT chain_shard, chain_seq, chain_hash FROM ledger_entries WHERE chain_shard = s ORDER BY chain_seq DESC LIMIT 1) h " +
            "ON CONFLICT DO NOTHING");
        anchor.Parameters.Add(new NpgsqlParameter { Value = LedgerBooks.ShardCount - 1 });
        batch.BatchCommands.Add(anchor);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM ledger_chain_anchors WHERE anchored_at < now() - interval '1 day'"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Money events without their posting, with what is needed to post them (their outbox rows), at most <paramref name="limit"/>.</summary>
    public async Task<(IReadOnlyList<(Guid AggId, LedgerEvent Event)> Missing, IReadOnlyList<LedgerProblem> Others)> GapsAsync(
        TimeSpan settle, int limit, CancellationToken cancellationToken = default)
    {
        var missing = new List<(Guid, LedgerEvent)>();
        var others = new List<LedgerProblem>();
        await using (var command = dataSource.CreateCommand(
            """
            SELECT o.agg_type, o.agg_id, o.id, o.event_type, o.payload::text
              FROM ledger_completeness_problems($1) g
              JOIN outbox_events o ON o.id = g.event_id
             WHERE g.kind = 'missing_posting'
             ORDER BY o.seq
             LIMIT $2
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = settle });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = LedgerSourceSystems.ForAggregateType(reader.GetString(0))!;
                missing.Add((reader.GetGuid(1), new LedgerEvent(source, reader.GetGuid(2), reader.GetString(3), reader.GetString(4))));
            }
        }

        await using (var command = dataSource.CreateCommand(
            $"SELECT kind, currency, detail, event_id, payment_id, wallet_id FROM ledger_completeness_problems($1) WHERE kind <> 'missing_posting' LIMIT {LedgerQueryLimits.VerifyProblemsMax}"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = settle });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                others.Add(ReadCompletenessProblem(reader));
            }
        }

        return (missing, others);
    }

    private static LedgerProblem ReadCompletenessProblem(NpgsqlDataReader reader) => new(
        reader.GetString(0), null, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
        EventId: reader.IsDBNull(3) ? null : reader.GetGuid(3),
        PaymentId: reader.IsDBNull(4) ? null : reader.GetGuid(4),
        WalletId: reader.IsDBNull(5) ? null : reader.GetString(5));
}
