using System.Text.Json;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>A wallet as loaded from PostgreSQL: balances, holds still held, Bank transfers still pending.</summary>
public sealed record LoadedWallet(WalletState State, IReadOnlyList<WalletHold> Holds, IReadOnlyList<PendingBankOperation> Pending);

/// <summary>An operation found by the merchant's key or by our request id: enough to replay it or to refuse a reused key.</summary>
/// <param name="FieldDigests">Of the key that names the operation, from <c>idempotency_keys</c>; null for a key stored before they existed.</param>
public sealed record StoredWalletOperation(Guid OperationId, Guid WalletUid, string Kind, string? Fingerprint, string State, byte[]? Result,
    string? FieldDigests = null);

/// <summary>A cash-in or cash-out as stored, whatever its state: what the Bank's notification about it is judged against.</summary>
public sealed record StoredTransfer(Guid OperationId, string Kind, string State, long AmountMinor, string Currency);

/// <summary>A hold as stored, whatever its state.</summary>
public sealed record StoredWalletHold(Guid HoldId, long AmountMinor, long CapturedMinor, string State);

/// <summary>
/// All SQL about wallets. Reads go straight to the data source; writes are units for the
/// <see cref="GroupCommitWriter"/>, so a balance change, its operation record and its outbox row commit
/// in one transaction, guarded by the wallet's version.
/// </summary>
public sealed class WalletStore(NpgsqlDataSource dataSource, GroupCommitWriter writer)
{
    internal static readonly JsonSerializerOptions Json = StoreJson.Options;

    /// <summary>The operations the Bank is asked to make (and notifies about): cash-ins and cash-outs.</summary>
    private const string IsBankTransfer = $"kind IN ('{WalletOperationKinds.CashIn}', '{WalletOperationKinds.CashOut}')";

    public async Task<LoadedWallet?> LoadAsync(string merchantId, string walletId, int holdsMax, int pendingMax, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(BatchCommands.Of(
            "SELECT wallet_uid, currency, available_minor, held_minor, version, created_at, updated_at FROM wallets WHERE merchant_id = $1 AND wallet_id = $2",
            merchantId, walletId));
        batch.BatchCommands.Add(BatchCommands.Of(
            "SELECT h.hold_id, h.amount_minor, h.payment_id, h.expires_at, h.created_at, h.metadata FROM wallet_holds h JOIN wallets w USING (wallet_uid) " +
            "WHERE w.merchant_id = $1 AND w.wallet_id = $2 AND h.state = 'HELD' ORDER BY h.created_at LIMIT $3",
            merchantId, walletId, holdsMax));
        batch.BatchCommands.Add(BatchCommands.Of(
            "SELECT o.operation_id, o.kind, o.idempotency_key, o.request_id, o.amount_minor, o.created_at, o.metadata FROM wallet_operations o JOIN wallets w USING (wallet_uid) " +
            "WHERE w.merchant_id = $1 AND w.wallet_id = $2 AND o.state = 'PENDING' ORDER BY o.created_at LIMIT $3",
            merchantId, walletId, pendingMax));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var state = new WalletState(reader.GetGuid(0), merchantId, walletId, reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6));
        await reader.NextResultAsync(cancellationToken);
        var holds = new List<WalletHold>();
        while (await reader.ReadAsync(cancellationToken))
        {
            holds.Add(new WalletHold(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), ReadMetadata(reader, 5)));
        }

        await reader.NextResultAsync(cancellationToken);
        var pending = new List<PendingBankOperation>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingBankOperation(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetFieldValue<DateTimeOffset>(5), ReadMetadata(reader, 6)));
        }

        return new LoadedWallet(state, holds, pending);
    }

    public Task<StoredWalletOperation?> FindByKeyAsync(string merchantId, string key, CancellationToken cancellationToken = default) =>
        FindAsync("merchant_id = $1 AND idempotency_key = $2", merchantId, key, cancellationToken);

    public Task<StoredWalletOperation?> FindByRequestAsync(Guid walletUid, string requestId, CancellationToken cancellationToken = default) =>
        FindAsync("wallet_uid = $1 AND request_id = $2", walletUid, requestId, cancellationToken);

    /// <summary>The cash-in or cash-out of this wallet that the Bank knows by <paramref name="requestId"/> (its transfer_ref).</summary>
    public async Task<StoredTransfer?> FindTransferAsync(Guid walletUid, string requestId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT operation_id, kind, state, amount_minor, currency FROM wallet_operations WHERE wallet_uid = $1 AND request_id = $2 AND {IsBankTransfer}");
        command.Parameters.Add(new NpgsqlParameter { Value = walletUid });
        command.Parameters.Add(new NpgsqlParameter { Value = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredTransfer(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4))
            : null;
    }

    /// <summary>
    /// The wallet grain key (<see cref="IWalletGrain.KeyOf"/>) of the cash-in or cash-out the Bank knows by
    /// <paramref name="transferRef"/>: our request id, which is the operation id formatted "N", so the primary key finds it.
    /// </summary>
    public async Task<string?> FindWalletOfTransferAsync(string transferRef, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParseExact(transferRef, "N", out var operationId))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT w.merchant_id, w.wallet_id FROM wallet_operations o JOIN wallets w USING (wallet_uid) " +
            $"WHERE o.operation_id = $1 AND o.request_id = $2 AND o.{IsBankTransfer}");
        command.Parameters.Add(new NpgsqlParameter { Value = operationId });
        command.Parameters.Add(new NpgsqlParameter { Value = transferRef });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? IWalletGrain.KeyOf(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<StoredWalletHold?> FindHoldAsync(Guid walletUid, Guid holdId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT hold_id, amount_minor, captured_minor, state FROM wallet_holds WHERE wallet_uid = $1 AND hold_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = walletUid });
        command.Parameters.Add(new NpgsqlParameter { Value = holdId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredWalletHold(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3))
            : null;
    }

    public Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit) => writer.WriteAsync(unit);

    // ---- Write-unit builders -------------------------------------------------------------------

    /// <summary>Creates the wallet; a wallet that exists already (another activation, a race) makes the unit conflict.</summary>
    public static SqlStatement InsertWallet(WalletState s) => new(
        "INSERT INTO wallets (wallet_uid, merchant_id, wallet_id, currency, available_minor, held_minor, version, created_at, updated_at) " +
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING",
        [s.Uid, s.MerchantId, s.WalletId, s.Currency, s.AvailableMinor, s.HeldMinor, s.Version, s.CreatedAt, s.UpdatedAt],
        Expect.AtLeastOneRow);

    /// <summary>Updates the balances only if the row still has <paramref name="expectedVersion"/>: a stale activation writes nothing.</summary>
    public static SqlStatement UpdateWallet(WalletState s, int expectedVersion) => new(
        "UPDATE wallets SET available_minor = $2, held_minor = $3, version = $4, updated_at = $5 WHERE wallet_uid = $1 AND version = $6",
        [s.Uid, s.AvailableMinor, s.HeldMinor, s.Version, s.UpdatedAt, expectedVersion],
        Expect.AtLeastOneRow);

    /// <summary>Records an operation; the merchant's key or our request id already taken makes the unit conflict.</summary>
    public static SqlStatement InsertOperation(Guid operationId, WalletState wallet, string kind, string? idempotencyKey, string? fingerprint,
        string requestId, long amountMinor, string state, Guid? holdId, string? bankReference, string? declineCode, byte[]? result, DateTimeOffset now,
        Metadata? metadata = null) => new(
        "INSERT INTO wallet_operations (operation_id, wallet_uid, merchant_id, kind, idempotency_key, fingerprint_hash, request_id, amount_minor, " +
        "currency, state, hold_id, bank_reference, decline_code, result, created_at, updated_at, metadata) " +
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15,$16) ON CONFLICT DO NOTHING",
        [
            operationId, wallet.Uid, wallet.MerchantId, kind, idempotencyKey, fingerprint is null ? null : Convert.FromHexString(fingerprint),
            requestId, amountMinor, wallet.Currency, state, holdId is { } id ? new SqlValue(id) : new SqlValue(null, NpgsqlTypes.NpgsqlDbType.Uuid),
            bankReference, declineCode, result, now, SqlValue.Jsonb(MetadataJson(metadata)),
        ],
        Expect.AtLeastOneRow);

    /// <summary>Finishes a pending operation; one that is no longer pending (another activation finished it) makes the unit conflict.</summary>
    public static SqlStatement CompleteOperation(Guid operationId, string state, string? bankReference, string? declineCode, byte[] result, DateTimeOffset now) => new(
        "UPDATE wallet_operations SET state = $2, bank_reference = $3, decline_code = $4, result = $5, updated_at = $6 " +
        "WHERE operation_id = $1 AND state = 'PENDING'",
        [operationId, state, bankReference, declineCode, result, now],
        Expect.AtLeastOneRow);

    /// <summary>Frees the merchant's key claimed by a wallet operation (never a payment's) in <c>idempotency_keys</c>.</summary>
    public static SqlStatement ReleaseKey(string merchantId, string key) => new(
        "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND operation = 'wallet'", [merchantId, key]);

    /// <summary>Whether an unexpired claim of a payment holds the merchant's key.</summary>
    public async Task<bool> IsKeyClaimedByPaymentAsync(string merchantId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND payment_id IS NOT NULL AND expires_at > now())");
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Forgets a pending operation the Bank provably never saw, which frees the merchant's key for a retry.</summary>
    public static SqlStatement DeleteOperation(Guid operationId) => new(
        "DELETE FROM wallet_operations WHERE operation_id = $1 AND state = 'PENDING'", [operationId], Expect.AtLeastOneRow);

    public static SqlStatement InsertHold(WalletState wallet, WalletHold hold, string state, long capturedMinor, DateTimeOffset now) => new(
        "INSERT INTO wallet_holds (wallet_uid, hold_id, amount_minor, captured_minor, state, payment_id, expires_at, created_at, updated_at, metadata) " +
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT DO NOTHING",
        [
            wallet.Uid, hold.HoldId, hold.AmountMinor, capturedMinor, state,
            hold.PaymentId is { } paymentId ? new SqlValue(paymentId) : new SqlValue(null, NpgsqlTypes.NpgsqlDbType.Uuid),
            hold.ExpiresAt is { } expiresAt ? (SqlValue)expiresAt : new SqlValue(null, NpgsqlTypes.NpgsqlDbType.TimestampTz),
            hold.CreatedAt, now, SqlValue.Jsonb(MetadataJson(hold.Metadata)),
        ],
        Expect.AtLeastOneRow);

    /// <summary>Ends a hold that is still HELD (captured, released or expired).</summary>
    public static SqlStatement EndHold(Guid walletUid, Guid holdId, string state, long capturedMinor, DateTimeOffset now) => new(
        "UPDATE wallet_holds SET state = $3, captured_minor = $4, updated_at = $5 WHERE wallet_uid = $1 AND hold_id = $2 AND state = 'HELD'",
        [walletUid, holdId, state, capturedMinor, now],
        Expect.AtLeastOneRow);

    /// <summary>
    /// A wallet event (docs/events.md): agg_type 'wallet', agg_id = the wallet's uuid; <paramref name="holdId"/> names the hold a capture ended;
    /// <paramref name="metadata"/> is the merchant's on the operation or hold the event describes.
    /// </summary>
    public static SqlStatement InsertOutbox(WalletState s, string eventType, long amountMinor, Guid operationId, Guid eventId, DateTimeOffset now,
        Guid? holdId = null, Metadata? metadata = null) =>
        SqlStatement.OutboxInsert(eventId, AggregateTypes.Wallet, s.Uid, eventType, EventJson.Serialize(new WalletEventV1(eventId, eventType, s.Uid,
            s.MerchantId, s.WalletId, amountMinor, s.Currency, operationId, now, holdId, metadata ?? Metadata.Empty)), now);

    /// <summary>Create-only, so written by the inserts alone; none is SQL NULL.</summary>
    private static string? MetadataJson(Metadata? metadata) => metadata is null ? null : JsonSerializer.Serialize(metadata, Json);

    private static Metadata? ReadMetadata(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Metadata.Of(JsonSerializer.Deserialize<Metadata>(reader.GetString(ordinal), Json));

    private async Task<StoredWalletOperation?> FindAsync(string where, object first, string second, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT operation_id, wallet_uid, kind, fingerprint_hash, state, result, (SELECT k.field_digests FROM idempotency_keys k " +
            $"WHERE k.merchant_id = o.merchant_id AND k.key = o.idempotency_key AND k.operation = 'wallet') FROM wallet_operations o WHERE {where}");
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        command.Parameters.Add(new NpgsqlParameter { Value = second });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredWalletOperation(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(3)), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5), reader.IsDBNull(6) ? null : reader.GetString(6))
            : null;
    }
}
