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
public sealed partial class LedgerStore(NpgsqlDataSource dataSource)
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

    private static void AddArray(NpgsqlCommand command, IEnumerable<string?> values) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
}
