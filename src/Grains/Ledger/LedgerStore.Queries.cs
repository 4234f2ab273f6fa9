using System.Collections.Concurrent;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Ledger;

namespace Payments.Actors.Grains.Ledger;

/// <summary>The ledger's reads: accounts, balances and entries, as of now or a past time.</summary>
public sealed partial class LedgerStore
{
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

    public async Task<LedgerEntryPage?> EntriesByAccountAsync(string accountCode, int limit, long? beforeId, DateTimeOffset? recordedGte = null,
        DateTimeOffset? recordedLt = null, CancellationToken cancellationToken = default)
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
            "WHERE a.code = $1 AND ($2::bigint IS NULL OR e.id < $2) AND ($4::timestamptz IS NULL OR e.recorded_at >= $4) " +
            "AND ($5::timestamptz IS NULL OR e.recorded_at < $5) ORDER BY e.id DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = accountCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)beforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)recordedGte?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)recordedLt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
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
}
