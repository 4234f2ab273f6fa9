using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>A payment as loaded from PostgreSQL, with the idempotency records that name it.</summary>
public sealed record LoadedPayment(PaymentState State, IReadOnlyList<OperationRecord> Operations);

/// <summary>What a merchant's key names: an operation on a payment, or (<see cref="IdempotencyKeys.WalletOperation"/>, no payment) on a wallet.</summary>
public sealed record KeyBinding(Guid? PaymentId, string Operation, string Fingerprint, string? FieldDigests = null);

/// <summary>
/// All SQL about payments. Reads go straight to the data source; writes are built as units for the
/// <see cref="GroupCommitWriter"/> so that a state change, its idempotency record and its outbox rows
/// commit in one transaction, guarded by the row version.
/// </summary>
public sealed class PaymentStore(NpgsqlDataSource dataSource, GroupCommitWriter writer)
{
    internal static readonly JsonSerializerOptions Json = StoreJson.Options;

    private const string Columns =
        "id, merchant_id, amount_minor, currency, state, capture, authorized_minor, captured_minor, refunded_minor, psp, psp_ref, " +
        "decline_code, failure_reason, card_brand, card_last4, reference, description, pending, refunds, idempotency_key, " +
        "fingerprint_hash, version, created_at, updated_at, wallet_id, metadata, disputes, authorization_expires_at";

    public async Task<LoadedPayment?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (!UuidV7.IsVersion7(id))
        {
            // Every payment id is a UUIDv7; a grain activated under any other key has nothing to load.
            return null;
        }

        var createdAt = UuidV7.TimestampOf(id);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(BatchCommands.Of($"SELECT {Columns} FROM payments WHERE id = $1 AND created_at = $2", id, createdAt));
        batch.BatchCommands.Add(BatchCommands.Of(
            "SELECT key, fingerprint_hash, operation, response, expires_at, field_digests FROM idempotency_keys WHERE payment_id = $1 AND expires_at > now()", id));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var state = ReadState(reader);
        await reader.NextResultAsync(cancellationToken);
        var operations = new List<OperationRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var response = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<PaymentResult>(reader.GetFieldValue<byte[]>(3), Json);
            operations.Add(new OperationRecord(reader.GetString(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)),
                reader.GetString(2), response, reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return new LoadedPayment(state, operations);
    }

    public async Task<KeyBinding?> FindKeyAsync(string merchantId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT payment_id, operation, fingerprint_hash, field_digests FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND expires_at > now()");
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new KeyBinding(reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.GetString(1), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    /// <summary>
    /// A page of the merchant's payments, newest first. After a cursor it holds the next older ones; before a cursor
    /// (<see cref="PaymentListQuery.EndingBeforeId"/>) the newer ones closest to it, and <see cref="PaymentPage.HasMore"/>
    /// says whether still newer ones follow. Keyset paging on (created_at, id): rows inserted meanwhile never shift a page.
    /// </summary>
    public async Task<PaymentPage> ListAsync(PaymentListQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM payments WHERE merchant_id = $1");
        var values = new List<object> { query.MerchantId };
        var backwards = KeysetPaging.AppendCursor(sql, values,
            query.StartingAfterCreatedAt is { } after && query.StartingAfterId is { } afterId ? (after, afterId) : null,
            query.EndingBeforeCreatedAt is { } before && query.EndingBeforeId is { } beforeId ? (before, beforeId) : null);

        if (query.Status is { } status)
        {
            values.Add(status.ToWire());
            sql.Append(" AND state = $").Append(values.Count);
        }

        await using var command = KeysetPaging.Finish(dataSource, sql, values, query.CreatedGte, query.CreatedLt, backwards, query.Limit);

        var (page, hasMore) = await KeysetPaging.ReadPageAsync(command, r => ReadState(r).ToSnapshot(), query.Limit, backwards, cancellationToken);
        return new PaymentPage(page, hasMore);
    }

    /// <summary>Payments whose pending PSP operation has not moved for <paramref name="olderThan"/>: nobody is resolving them (a crash).</summary>
    public Task<IReadOnlyList<Guid>> FindStalledAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken = default) =>
        IdsAsync("SELECT id FROM payments WHERE pending IS NOT NULL AND updated_at < now() - $1 ORDER BY updated_at LIMIT $2", olderThan, limit, cancellationToken);

    /// <summary>Authorised payments past their authorisation's expiry by <paramref name="grace"/>: their reminder did not void them.</summary>
    public Task<IReadOnlyList<Guid>> FindExpiredAuthorizationsAsync(TimeSpan grace, int limit, CancellationToken cancellationToken = default) =>
        IdsAsync("SELECT id FROM payments WHERE authorization_expires_at < now() - $1 ORDER BY authorization_expires_at LIMIT $2", grace, limit, cancellationToken);

    /// <summary>How many payments have waited longer than <paramref name="olderThan"/> for a PSP's answer, and the oldest wait in seconds.</summary>
    public async Task<(long Count, double OldestSeconds)> PendingOverdueAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), coalesce(extract(epoch FROM now() - min(updated_at)), 0)::float8 FROM payments WHERE pending IS NOT NULL AND updated_at < now() - $1");
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private async Task<IReadOnlyList<Guid>> IdsAsync(string sql, TimeSpan age, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = age });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit) => writer.WriteAsync(unit);

    // ---- Write-unit builders -------------------------------------------------------------------

    public static SqlStatement InsertPayment(PaymentState s) => new(
        $"INSERT INTO payments ({Columns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28) ON CONFLICT DO NOTHING",
        [
            s.Id, s.MerchantId, s.AmountMinor, s.Currency, s.Status.ToWire(), s.Capture, s.AuthorizedMinor, s.CapturedMinor,
            s.RefundedMinor, s.Psp, s.PspReference, s.DeclineCode, s.FailureReason, s.CardBrand, s.CardLast4, s.Reference,
            s.Description, SqlValue.Jsonb(PendingJson(s)), SqlValue.Jsonb(JsonSerializer.Serialize(s.Refunds, Json)),
            s.IdempotencyKey, Convert.FromHexString(s.Fingerprint), s.Version, s.CreatedAt, s.UpdatedAt, s.WalletId, SqlValue.Jsonb(MetadataJson(s.Metadata)),
            SqlValue.Jsonb(DisputesJson(s)), ExpiryValue(s),
        ],
        Expect.AtLeastOneRow);

    /// <summary>Updates the row only if it still has <paramref name="expectedVersion"/>: a stale activation writes nothing.</summary>
    public static SqlStatement UpdatePayment(PaymentState s, int expectedVersion) => new(
        "UPDATE payments SET state=$3, authorized_minor=$4, captured_minor=$5, refunded_minor=$6, psp_ref=$7, decline_code=$8, " +
        "failure_reason=$9, pending=$10, refunds=$11, version=$12, updated_at=$13, psp=$15, disputes=$16, authorization_expires_at=$17 WHERE id=$1 AND created_at=$2 AND version=$14",
        [
            s.Id, s.CreatedAt, s.Status.ToWire(), s.AuthorizedMinor, s.CapturedMinor, s.RefundedMinor, s.PspReference,
            s.DeclineCode, s.FailureReason, SqlValue.Jsonb(PendingJson(s)), SqlValue.Jsonb(JsonSerializer.Serialize(s.Refunds, Json)),
            s.Version, s.UpdatedAt, expectedVersion, s.Psp, SqlValue.Jsonb(DisputesJson(s)), ExpiryValue(s),
        ],
        Expect.AtLeastOneRow);

    /// <summary>Stores the finished result of a key's operation: what every later replay returns.</summary>
    public static SqlStatement CompleteKey(string merchantId, string key, PaymentResult result)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(result, Json);
        return new SqlStatement(
            "UPDATE idempotency_keys SET result_code = $3, response = $4, body_hash = $5 WHERE merchant_id = $1 AND key = $2",
            [merchantId, key, result.Code.ToString(), body, SHA256.HashData(body)],
            Expect.AtLeastOneRow);
    }

    /// <summary>Releases a key whose operation the PSP provably refused, so the merchant can retry it.</summary>
    public static SqlStatement ReleaseKey(string merchantId, string key) => new(
        "DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2", [merchantId, key]);

    /// <summary>A payment event (docs/events.md): the payment's metadata rides on every one, a refund's on its <c>payment.refunded</c>.</summary>
    public static SqlStatement InsertOutbox(PaymentState s, PaymentEvent e, Guid eventId, DateTimeOffset now) =>
        SqlStatement.OutboxInsert(eventId, AggregateTypes.Payment, s.Id, e.Type, EventJson.Serialize(new PaymentEventV1(eventId, e.Type, s.Id,
            s.MerchantId, e.AmountMinor, s.Currency, s.Psp, s.PspReference, e.RefundId, s.Status.ToWire(), s.Version, now, s.WalletId,
            s.Metadata ?? Metadata.Empty,
            e.RefundId is { } refundId ? s.Refunds.FirstOrDefault(r => r.Id == refundId)?.Metadata ?? Metadata.Empty : null, e.DisputeId)), now);

    private static SqlValue ExpiryValue(PaymentState s) => new(s.AuthorizationExpiresAt?.ToUniversalTime(), NpgsqlTypes.NpgsqlDbType.TimestampTz);

    private static string DisputesJson(PaymentState s) => JsonSerializer.Serialize(s.Disputes, Json);

    private static string? PendingJson(PaymentState s) => s.Pending is null ? null : JsonSerializer.Serialize(s.Pending, Json);

    /// <summary>Create-only, so written by the insert alone; none is SQL NULL.</summary>
    private static string? MetadataJson(Metadata? metadata) => metadata is null ? null : JsonSerializer.Serialize(metadata, Json);

    private static PaymentState ReadState(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        MerchantId: r.GetString(1),
        AmountMinor: r.GetInt64(2),
        Currency: r.GetString(3),
        Status: PaymentStatusExtensions.FromWire(r.GetString(4)),
        Capture: r.GetBoolean(5),
        AuthorizedMinor: r.GetInt64(6),
        CapturedMinor: r.GetInt64(7),
        RefundedMinor: r.GetInt64(8),
        Psp: r.GetString(9),
        PspReference: r.IsDBNull(10) ? null : r.GetString(10),
        DeclineCode: r.IsDBNull(11) ? null : r.GetString(11),
        FailureReason: r.IsDBNull(12) ? null : r.GetString(12),
        CardBrand: r.GetString(13),
        CardLast4: r.GetString(14),
        Reference: r.IsDBNull(15) ? null : r.GetString(15),
        Description: r.IsDBNull(16) ? null : r.GetString(16),
        Pending: r.IsDBNull(17) ? null : JsonSerializer.Deserialize<PendingOperation>(r.GetString(17), Json),
        Refunds: [.. JsonSerializer.Deserialize<RefundSnapshot[]>(r.GetString(18), Json) ?? []],
        Disputes: [.. JsonSerializer.Deserialize<DisputeSnapshot[]>(r.GetString(26), Json) ?? []],
        IdempotencyKey: r.GetString(19),
        Fingerprint: Convert.ToHexStringLower(r.GetFieldValue<byte[]>(20)),
        Version: r.GetInt32(21),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(22),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(23),
        WalletId: r.IsDBNull(24) ? null : r.GetString(24),
        Metadata: r.IsDBNull(25) ? null : Metadata.Of(JsonSerializer.Deserialize<Metadata>(r.GetString(25), Json)),
        AuthorizationExpiresAt: r.IsDBNull(27) ? null : r.GetFieldValue<DateTimeOffset>(27));
}
