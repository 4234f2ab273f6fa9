using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>A merchant's idempotency key as the webhook endpoints' grain reads it: what it names and its stored answer.</summary>
public sealed record StoredKey(string Operation, string Fingerprint, string? FieldDigests, byte[]? Response);

/// <summary>
/// The SQL of webhook endpoints and of the merchant's view of their deliveries. Changes are write units for the
/// <see cref="GroupCommitWriter"/>, so an endpoint, its key's claim and the key's stored answer commit together.
/// The signing secrets are read here only by the dispatcher's store, never into a snapshot but the one that made them.
/// </summary>
public sealed class WebhookEndpointStore(NpgsqlDataSource dataSource, GroupCommitWriter writer)
{
    public const string KeyOperation = "webhook_endpoint";

    private const string Columns =
        "id, url, enabled_events, enabled, description, metadata::text, previous_secret_expires_at, disabled_reason, created_at, updated_at";

    private const string DeliveryColumns =
        "id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, delivered_at, created_at";

    public Task<WriteOutcome> WriteAsync(IReadOnlyList<SqlStatement> unit) => writer.WriteAsync(unit);

    public async Task<IReadOnlyList<WebhookEndpointSnapshot>> ListAsync(string merchantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints WHERE merchant_id = $1 ORDER BY created_at, id");
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        var endpoints = new List<WebhookEndpointSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            endpoints.Add(ReadEndpoint(reader));
        }

        return endpoints;
    }

    public async Task<WebhookEndpointSnapshot?> GetAsync(string merchantId, Guid endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = endpointId });
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEndpoint(reader) : null;
    }

    /// <summary>Deletes the endpoint and (by cascade) its deliveries: nothing more is sent to it.</summary>
    public async Task<bool> DeleteAsync(string merchantId, Guid endpointId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = endpointId });
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<StoredKey?> FindKeyAsync(string merchantId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT operation, fingerprint_hash, field_digests, response FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND expires_at > now()");
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredKey(reader.GetString(0), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(1)), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3))
            : null;
    }

    /// <summary>The endpoint's deliveries, newest first (by insertion), older than <paramref name="startingAfter"/>.</summary>
    public async Task<WebhookDeliveryPage> ListDeliveriesAsync(Guid endpointId, int limit, Guid? startingAfter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE endpoint_id = $1 " +
            "AND ($2::uuid IS NULL OR seq < (SELECT seq FROM webhook_deliveries WHERE id = $2 AND endpoint_id = $1)) ORDER BY seq DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = endpointId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<WebhookDeliverySnapshot>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadDelivery(reader));
        }

        return new WebhookDeliveryPage(items.Count > limit ? items[..limit] : items, items.Count > limit);
    }

    public async Task<WebhookDeliverySnapshot?> GetDeliveryAsync(Guid endpointId, Guid deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = endpointId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDelivery(reader) : null;
    }

    // ---- Write-unit builders -------------------------------------------------------------------

    /// <summary>A new endpoint, only while the merchant has fewer than <paramref name="endpointsMax"/> (the grain checked; this is the last line).</summary>
    public static SqlStatement InsertEndpoint(string merchantId, WebhookEndpointSnapshot e, int endpointsMax) => new(
        "INSERT INTO webhook_endpoints (id, merchant_id, url, enabled_events, description, metadata, secret, created_at, updated_at) " +
        "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8 WHERE (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = $2) < $9",
        [
            e.Id, merchantId, e.Url, new SqlValue(e.EnabledEvents.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text), e.Description,
            SqlValue.Jsonb(e.Metadata is null ? null : JsonSerializer.Serialize(e.Metadata, StoreJson.Options)), e.Secret, e.CreatedAt, endpointsMax,
        ],
        Expect.AtLeastOneRow);

    /// <summary>The new secret signs from now on; the one it replaces signs beside it until <paramref name="previousExpiresAt"/>.</summary>
    public static SqlStatement RotateSecret(string merchantId, Guid endpointId, string secret, DateTimeOffset previousExpiresAt, DateTimeOffset now) => new(
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $4, secret = $3, updated_at = $5 WHERE id = $1 AND merchant_id = $2",
        [endpointId, merchantId, secret, previousExpiresAt, now],
        Expect.AtLeastOneRow);

    /// <summary>One more attempt, now: pending again whatever it was, with no retries after it (a resend is one attempt).</summary>
    public static SqlStatement Resend(string merchantId, Guid endpointId, Guid deliveryId, DateTimeOffset now) => new(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $4, retry_until = $4 WHERE id = $1 AND endpoint_id = $2 AND merchant_id = $3",
        [deliveryId, endpointId, merchantId, now],
        Expect.AtLeastOneRow);

    /// <summary>The key's stored answer, written in the unit that claims it: what every retry with the key gets back.</summary>
    public static SqlStatement CompleteKey(string merchantId, string key, WebhookEndpointResult result) => new(
        "UPDATE idempotency_keys SET result_code = $3, response = $4 WHERE merchant_id = $1 AND key = $2",
        [merchantId, key, result.Code.ToString(), JsonSerializer.SerializeToUtf8Bytes(result, StoreJson.Options)],
        Expect.AtLeastOneRow);

    public static WebhookEndpointResult? ReadResult(byte[] response) => JsonSerializer.Deserialize<WebhookEndpointResult>(response, StoreJson.Options);

    private static WebhookEndpointSnapshot ReadEndpoint(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        Url: r.GetString(1),
        EnabledEvents: r.GetFieldValue<string[]>(2),
        Status: r.GetBoolean(3) ? "enabled" : "disabled",
        Description: r.IsDBNull(4) ? null : r.GetString(4),
        Metadata: r.IsDBNull(5) ? null : Metadata.Of(JsonSerializer.Deserialize<Metadata>(r.GetString(5), StoreJson.Options)),
        Secret: null,
        PreviousSecretExpiresAt: r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
        DisabledReason: r.IsDBNull(7) ? null : r.GetString(7),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(8),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(9));

    private static WebhookDeliverySnapshot ReadDelivery(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
        r.IsDBNull(8) ? null : r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
        r.GetFieldValue<DateTimeOffset>(11));
}
