using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// All SQL about the ledger. Writes only ever INSERT (ON CONFLICT DO NOTHING): the journal is
/// append-only, and the database refuses anything else. A batch of postings is one transaction of two
/// multi-row statements: the accounts it names (created on first use), then every leg, so each posting
/// is inserted by one statement and the balance trigger sees it whole.
/// </summary>
public sealed class LedgerStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Account codes known to exist: committed by an append of this process (accounts are never deleted). A batch
    /// whose accounts are all known skips the account statement, which otherwise ran on every batch.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _knownAccounts = new(StringComparer.Ordinal);

    private const string EntryColumns =
        "e.id, e.transaction_id, e.source_system, e.source_event_id, e.event_type, e.leg, a.code, e.side, e.amount_minor, e.currency, " +
        "e.payment_id, e.wallet_id, e.memo, e.effective_at, e.recorded_at";

    private const string BalanceColumns =
        "a.code, a.type, a.currency, a.merchant_id, a.owner_ref, a.created_at, " +
        "coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'D'), 0)::bigint, " +
        "coalesce(sum(e.amount_minor) FILTER (WHERE e.side = 'C'), 0)::bigint, count(e.id)";

    /// <summary>
    /// Appends the postings in one transaction and answers for each: Posted (with its transaction id),
    /// Duplicate (the journal already holds this event with the same legs; nothing written) or Rejected
    /// (the journal holds this event with different legs: a changed rule or a reused event id, which
    /// must be looked at, never merged). Completes only after the commit. New entries extend the hash chain of
    /// <paramref name="chainShard"/> (<see cref="LedgerChain"/>); the shard's writers take turns on an advisory lock.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string SourceSystem, Guid EventId), LedgerAppendResult>> AppendAsync(
        long chainShard, IReadOnlyList<(Guid TransactionId, LedgerPosting Posting)> postings, CancellationToken cancellationToken = default)
    {
        Invariant.Assert(postings.Count > 0, "An append needs at least one posting.");
        Invariant.Assert(chainShard is >= 0 and <= short.MaxValue, $"Chain shard {chainShard} is out of range.");
        foreach (var (_, posting) in postings)
        {
            posting.AssertBalanced();
        }

        Invariant.Assert(postings.Select(p => (p.Posting.SourceSystem, p.Posting.SourceEventId)).Distinct().Count() == postings.Count,
            "An append may name each source event once.");

        // A fixed lock order (accounts by code, then the chain) keeps concurrent batches from deadlocking.
        var accounts = postings.SelectMany(p => p.Posting.Legs).Select(l => l.Account)
            .DistinctBy(a => a.Code).OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
        var ordered = postings.OrderBy(p => p.Posting.SourceSystem, StringComparer.Ordinal).ThenBy(p => p.Posting.SourceEventId).ToList();

        // Optimistic: the first try assumes every posting is new (redeliveries are rare) and inserts at once. If the
        // journal already held one (a redelivery, or a writer of another shard committing the same event meanwhile),
        // the insert skips it and the chain positions it was given would be a gap, so the try is undone; the next one
        // first reads which events are stored, chains only the others, and answers Duplicate for the rest.
        for (var attempt = 1; ; attempt++)
        {
            var results = await TryAppendAsync(chainShard, accounts, ordered, readStoredFirst: attempt > 1, cancellationToken);
            if (results is not null)
            {
                return results;
            }

            Invariant.Assert(attempt < ConcurrentAppendAttemptsMax, $"An append to chain shard {chainShard} kept racing writers of other shards.");
        }
    }

    /// <summary>Tries of one append: the optimistic one, the one that reads what is stored, one more if another shard raced it.</summary>
    private const int ConcurrentAppendAttemptsMax = 3;

    /// <summary>One transaction of <see cref="AppendAsync(long, IReadOnlyList{ValueTuple{Guid, LedgerPosting}}, CancellationToken)"/>; null when the journal already held one of its events and it was rolled back.</summary>
    private async Task<Dictionary<(string, Guid), LedgerAppendResult>?> TryAppendAsync(long chainShard, List<LedgerAccountRef> accounts,
        List<(Guid TransactionId, LedgerPosting Posting)> ordered, bool readStoredFirst, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var newAccounts = accounts.Where(a => !_knownAccounts.ContainsKey(a.Code)).ToList();
        if (newAccounts.Count > 0)
        {
            await using var insertAccounts = new NpgsqlCommand(
                "INSERT INTO accounts (code, type, currency, merchant_id, owner_ref) " +
                "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) " +
                "ON CONFLICT (code) DO NOTHING", connection, transaction);
            AddArray(insertAccounts, newAccounts.Select(a => a.Code));
            AddArray(insertAccounts, newAccounts.Select(a => a.Type.ToWire()));
            AddArray(insertAccounts, newAccounts.Select(a => a.Currency));
            AddArray(insertAccounts, newAccounts.Select(a => a.MerchantId));
            AddArray(insertAccounts, newAccounts.Select(a => a.OwnerRef));
            await insertAccounts.ExecuteNonQueryAsync(cancellationToken);
        }

        var (headSeq, headHash) = await LockChainAsync(connection, transaction, chainShard, cancellationToken);
        var stored = readStoredFirst
            ? await StoredLegsAsync(connection, transaction, [.. ordered.Select(p => p.Posting)], cancellationToken)
            : [];
        var fresh = ordered.Where(p => !stored.ContainsKey((p.Posting.SourceSystem, p.Posting.SourceEventId))).ToList();
        var results = new Dictionary<(string, Guid), LedgerAppendResult>();
        if (fresh.Count > 0)
        {
            var legs = Chain(fresh, headSeq, headHash);
            var written = await InsertEntriesAsync(connection, transaction, chainShard, legs, cancellationToken);
            foreach (var (transactionId, posting) in fresh)
            {
                // Not written: the journal already held it (a redelivery on the optimistic try, or a writer of another shard).
                if (!written.TryGetValue((posting.SourceSystem, posting.SourceEventId), out var got))
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return null;
                }

                Invariant.Assert(got.Legs == posting.Legs.Count, $"Posting {posting.SourceSystem}/{posting.SourceEventId} wrote {got.Legs} of {posting.Legs.Count} legs.");
                Invariant.Assert(got.TransactionId == transactionId, $"Posting {posting.SourceSystem}/{posting.SourceEventId} names another transaction.");
                results[(posting.SourceSystem, posting.SourceEventId)] = new LedgerAppendResult(posting.SourceEventId, LedgerAppendOutcome.Posted,
                    TransactionId: transactionId);
            }
        }

        foreach (var (_, posting) in ordered.Where(p => stored.ContainsKey((p.Posting.SourceSystem, p.Posting.SourceEventId))))
        {
            results[(posting.SourceSystem, posting.SourceEventId)] = DuplicateOf(posting, stored);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var account in newAccounts)
        {
            _knownAccounts.TryAdd(account.Code, 0);
        }

        return results;
    }

    /// <summary>Appends on chain shard 0.</summary>
    public Task<IReadOnlyDictionary<(string SourceSystem, Guid EventId), LedgerAppendResult>> AppendAsync(
        IReadOnlyList<(Guid TransactionId, LedgerPosting Posting)> postings, CancellationToken cancellationToken = default) =>
        AppendAsync(0, postings, cancellationToken);

    /// <summary>Takes the shard's chain for this transaction and reads its head: the last entry's position and hash.</summary>
    private static async Task<(long Seq, byte[] Hash)> LockChainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long shard,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, $2)") { Parameters = { new() { Value = LedgerChain.LockClass }, new() { Value = (int)shard } } },
                new NpgsqlBatchCommand("SELECT chain_seq, chain_hash FROM ledger_entries WHERE chain_shard = $1 ORDER BY chain_seq DESC LIMIT 1")
                {
                    Parameters = { new() { Value = (short)shard } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, LedgerChain.Genesis);
    }

    /// <summary>Every leg of the postings in order, each with its chain position and hash after the head.</summary>
    private static List<(Guid TransactionId, LedgerPosting Posting, LedgerLeg Leg, short Number, long Seq, byte[] Hash)> Chain(
        List<(Guid TransactionId, LedgerPosting Posting)> postings, long headSeq, byte[] headHash)
    {
        var legs = new List<(Guid, LedgerPosting, LedgerLeg, short, long, byte[])>();
        var (seq, hash) = (headSeq, headHash);
        foreach (var (transactionId, posting) in postings)
        {
            for (var i = 0; i < posting.Legs.Count; i++)
            {
                var leg = posting.Legs[i];
                var number = (short)(i + 1);
                seq++;
                hash = LedgerChain.Hash(hash, new LedgerChain.Link(seq, transactionId, posting.SourceSystem, posting.SourceEventId, posting.EventType, number,
                    leg.Account.Code, leg.Side.ToCode(), leg.AmountMinor, leg.Account.Currency, posting.PaymentId, posting.WalletId, posting.Memo, posting.EffectiveAt));
                legs.Add((transactionId, posting, leg, number, seq, hash));
            }
        }

        return legs;
    }

    /// <summary>One multi-row statement, so the balance trigger sees each posting whole; answers the legs written per posting.</summary>
    private static async Task<Dictionary<(string, Guid), (Guid TransactionId, int Legs)>> InsertEntriesAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, long shard, List<(Guid TransactionId, LedgerPosting Posting, LedgerLeg Leg, short Number, long Seq, byte[] Hash)> legs,
        CancellationToken cancellationToken)
    {
        var written = new Dictionary<(string, Guid), (Guid TransactionId, int Legs)>();
        await using var insertEntries = new NpgsqlCommand(
            "INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, " +
            "currency, payment_id, wallet_id, memo, effective_at, chain_shard, chain_seq, chain_hash) " +
            "SELECT l.transaction_id, l.source_system, l.source_event_id, l.event_type, l.leg, a.id, l.side, l.amount_minor, " +
            "l.currency, l.payment_id, l.wallet_id, l.memo, l.effective_at, $14, l.chain_seq, l.chain_hash " +
            "FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::bigint[], " +
            "$9::text[], $10::uuid[], $11::text[], $12::text[], $13::timestamptz[], $15::bigint[], $16::bytea[]) WITH ORDINALITY " +
            "AS l(transaction_id, source_system, source_event_id, event_type, leg, account_code, side, amount_minor, " +
            "currency, payment_id, wallet_id, memo, effective_at, chain_seq, chain_hash, ord) " +
            "JOIN accounts a ON a.code = l.account_code " +
            "ORDER BY l.ord " +
            "ON CONFLICT (source_system, source_event_id, leg) DO NOTHING " +
            "RETURNING source_system, source_event_id, transaction_id", connection, transaction);
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.TransactionId).ToArray() });
        AddArray(insertEntries, legs.Select(l => l.Posting.SourceSystem));
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Posting.SourceEventId).ToArray() });
        AddArray(insertEntries, legs.Select(l => l.Posting.EventType));
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Number).ToArray() });
        AddArray(insertEntries, legs.Select(l => l.Leg.Account.Code));
        AddArray(insertEntries, legs.Select(l => l.Leg.Side.ToCode()));
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Leg.AmountMinor).ToArray() });
        AddArray(insertEntries, legs.Select(l => l.Leg.Account.Currency));
        insertEntries.Parameters.Add(new NpgsqlParameter
        {
            Value = legs.Select(l => l.Posting.PaymentId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid,
        });
        AddArray(insertEntries, legs.Select(l => l.Posting.WalletId));
        AddArray(insertEntries, legs.Select(l => l.Posting.Memo));
        insertEntries.Parameters.Add(new NpgsqlParameter
        {
            Value = legs.Select(l => LedgerChain.StoredTime(l.Posting.EffectiveAt)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = (short)shard });
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Seq).ToArray() });
        insertEntries.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Hash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using var reader = await insertEntries.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetGuid(1));
            var transactionId = reader.GetGuid(2);
            written[key] = written.TryGetValue(key, out var seen) ? (seen.TransactionId, seen.Legs + 1) : (transactionId, 1);
        }

        return written;
    }

    /// <summary>A redelivery is a Duplicate only if the journal holds exactly its legs; anything else is refused with both versions named.</summary>
    private static LedgerAppendResult DuplicateOf(LedgerPosting posting, Dictionary<(string, Guid), (Guid TransactionId, List<string> Legs)> stored)
    {
        var offered = posting.Legs.Select((l, i) => LegText(i + 1, l.Account.Code, l.Side.ToCode(), l.AmountMinor)).ToList();
        if (!stored.TryGetValue((posting.SourceSystem, posting.SourceEventId), out var found))
        {
            // The conflicting row vanished: impossible in an append-only journal, so a bug worth stopping for.
            throw new InvariantViolationException($"Posting {posting.SourceSystem}/{posting.SourceEventId} conflicted but no stored legs were found.");
        }

        return found.Legs.SequenceEqual(offered, StringComparer.Ordinal)
            ? new LedgerAppendResult(posting.SourceEventId, LedgerAppendOutcome.Duplicate, TransactionId: found.TransactionId)
            : new LedgerAppendResult(posting.SourceEventId, LedgerAppendOutcome.Rejected,
                $"event already posted with different legs: stored [{string.Join("; ", found.Legs)}], offered [{string.Join("; ", offered)}]",
                found.TransactionId);
    }

    private static async Task<Dictionary<(string, Guid), (Guid TransactionId, List<string> Legs)>> StoredLegsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<LedgerPosting> postings, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT e.source_system, e.source_event_id, e.transaction_id, e.leg, a.code, e.side, e.amount_minor " +
            "FROM ledger_entries e JOIN accounts a ON a.id = e.account_id " +
            "WHERE (e.source_system, e.source_event_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[])) " +
            "ORDER BY e.source_system, e.source_event_id, e.leg", connection, transaction);
        AddArray(command, postings.Select(p => p.SourceSystem));
        command.Parameters.Add(new NpgsqlParameter { Value = postings.Select(p => p.SourceEventId).ToArray() });
        var stored = new Dictionary<(string, Guid), (Guid, List<string>)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetGuid(1));
            if (!stored.TryGetValue(key, out var entry))
            {
                entry = (reader.GetGuid(2), []);
                stored[key] = entry;
            }

            entry.Item2.Add(LegText(reader.GetInt16(3), reader.GetString(4), reader.GetString(5), reader.GetInt64(6)));
        }

        return stored;
    }

    private static string LegText(int leg, string code, string side, long amount) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{leg} {side} {code} {amount}");

    public async Task<LedgerAccountPage> ListAccountsAsync(int limit, string? startingAfterCode, CancellationToken cancellationToken = default)
    {
        Invariant.Assert(limit is >= 1 and <= LedgerQueryLimits.PageSizeMax, $"Account page size {limit} must be within 1..{LedgerQueryLimits.PageSizeMax}.");
        await using var command = dataSource.CreateCommand(
            $"SELECT {BalanceColumns} FROM (SELECT * FROM accounts WHERE $1::text IS NULL OR code > $1 ORDER BY code LIMIT $2) a " +
            "LEFT JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.id, a.code, a.type, a.currency, a.merchant_id, a.owner_ref, a.created_at " +
            "ORDER BY a.code");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfterCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<LedgerAccountBalance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadBalance(reader, asOf: null));
        }

        var hasMore = items.Count > limit;
        return new LedgerAccountPage(hasMore ? items[..limit] : items, hasMore);
    }

    public async Task<LedgerAccountBalance?> BalanceAsync(string accountCode, DateTimeOffset? asOf, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {BalanceColumns} FROM accounts a " +
            "LEFT JOIN ledger_entries e ON e.account_id = a.id AND ($2::timestamptz IS NULL OR e.recorded_at <= $2) " +
            "WHERE a.code = $1 GROUP BY a.id, a.code, a.type, a.currency, a.merchant_id, a.owner_ref, a.created_at");
        command.Parameters.Add(new NpgsqlParameter { Value = accountCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)asOf?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadBalance(reader, asOf) : null;
    }

    public async Task<LedgerEntryPage?> EntriesByAccountAsync(string accountCode, int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        Invariant.Assert(limit is >= 1 and <= LedgerQueryLimits.PageSizeMax, $"Entry page size {limit} must be within 1..{LedgerQueryLimits.PageSizeMax}.");
        await using (var exists = dataSource.CreateCommand("SELECT 1 FROM accounts WHERE code = $1"))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = accountCode });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                return null;
            }
        }

        await using var command = dataSource.CreateCommand(
            $"SELECT {EntryColumns} FROM accounts a JOIN ledger_entries e ON e.account_id = a.id " +
            "WHERE a.code = $1 AND ($2::bigint IS NULL OR e.id < $2) ORDER BY e.id DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = accountCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)beforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = await ReadEntriesAsync(command, cancellationToken);
        var hasMore = items.Count > limit;
        return new LedgerEntryPage(hasMore ? items[..limit] : items, hasMore);
    }

    public async Task<IReadOnlyList<LedgerEntryView>> EntriesByPaymentAsync(Guid paymentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {EntryColumns} FROM ledger_entries e JOIN accounts a ON a.id = e.account_id " +
            "WHERE e.payment_id = $1 ORDER BY e.id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerQueryLimits.PaymentEntriesMax });
        return await ReadEntriesAsync(command, cancellationToken);
    }

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

    private static async Task<List<LedgerEntryView>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var items = new List<LedgerEntryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new LedgerEntryView(
                Id: reader.GetInt64(0),
                TransactionId: reader.GetGuid(1),
                SourceSystem: reader.GetString(2),
                SourceEventId: reader.GetGuid(3),
                EventType: reader.GetString(4),
                Leg: reader.GetInt16(5),
                AccountCode: reader.GetString(6),
                Side: LedgerSideExtensions.WireFromCode(reader.GetString(7)),
                AmountMinor: reader.GetInt64(8),
                Currency: reader.GetString(9),
                PaymentId: reader.IsDBNull(10) ? null : reader.GetGuid(10),
                WalletId: reader.IsDBNull(11) ? null : reader.GetString(11),
                Memo: reader.IsDBNull(12) ? null : reader.GetString(12),
                EffectiveAt: reader.GetFieldValue<DateTimeOffset>(13),
                RecordedAt: reader.GetFieldValue<DateTimeOffset>(14)));
        }

        return items;
    }

    private static LedgerAccountBalance ReadBalance(NpgsqlDataReader reader, DateTimeOffset? asOf)
    {
        var type = reader.GetString(1);
        var (debits, credits) = (reader.GetInt64(6), reader.GetInt64(7));
        return new LedgerAccountBalance(
            Code: reader.GetString(0),
            Type: type,
            Currency: reader.GetString(2),
            MerchantId: reader.IsDBNull(3) ? null : reader.GetString(3),
            OwnerRef: reader.IsDBNull(4) ? null : reader.GetString(4),
            CreatedAt: reader.GetFieldValue<DateTimeOffset>(5),
            DebitsMinor: debits,
            CreditsMinor: credits,
            BalanceMinor: LedgerAccountTypeExtensions.IsDebitNormal(type) ? debits - credits : credits - debits,
            Entries: reader.GetInt64(8),
            AsOf: asOf);
    }

    private static void AddArray(NpgsqlCommand command, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
}
