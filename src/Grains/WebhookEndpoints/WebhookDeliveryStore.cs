using Npgsql;
using NpgsqlTypes;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>A delivery claimed by this dispatcher: where to send, what, and with which secrets.</summary>
public sealed record ClaimedDelivery(Guid Id, Guid EndpointId, Guid EventId, int Attempt, DateTimeOffset CreatedAt, DateTimeOffset? RetryUntil,
    string Url, string Secret, string? PreviousSecret, DateTimeOffset? PreviousSecretExpiresAt, string Body)
{
    // Secrets and bodies never reach a log line.
    public override string ToString() => $"ClaimedDelivery {{ Id = {Id}, EndpointId = {EndpointId}, EventId = {EventId}, Attempt = {Attempt} }}";
}

/// <summary>
/// The dispatcher's SQL. A claim leases due deliveries (FOR UPDATE SKIP LOCKED, so dispatchers on several silos share
/// the work and never wait on each other): it counts the attempt and moves <c>next_attempt_at</c> to the lease's end
/// before anything is sent, so a dispatcher that dies mid-send leaves them to be sent again, with the same event id.
/// Endpoints whose breaker is open are skipped; a half-open one (open time over, still failing) gives one delivery, the
/// probe, and stays closed to other claims while the probe is out.
/// </summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource dataSource)
{
    private const string ClaimSql = """
        WITH candidates AS (
            SELECT d.id, e.consecutive_failures >= $5 AS probing,
                   row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.seq) AS rn
            FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.enabled
              AND (e.breaker_open_until IS NULL OR e.breaker_open_until <= $1)
              AND NOT (d.endpoint_id = ANY ($6))),
        picked AS (
            SELECT d.id FROM webhook_deliveries d JOIN candidates c ON c.id = d.id
            WHERE c.rn <= CASE WHEN c.probing THEN 1 ELSE $4 END
            ORDER BY d.next_attempt_at, d.seq LIMIT $3
            FOR UPDATE OF d SKIP LOCKED),
        claimed AS (
            UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $2
            FROM picked WHERE d.id = picked.id
            RETURNING d.id, d.endpoint_id, d.event_id, d.event_created_at, d.attempts, d.created_at, d.retry_until, d.seq),
        probes AS (
            UPDATE webhook_endpoints e SET breaker_open_until = $2
            FROM claimed c WHERE e.id = c.endpoint_id AND e.consecutive_failures >= $5)
        SELECT c.id, c.endpoint_id, c.event_id, c.attempts, c.created_at, c.retry_until, e.url, e.secret, e.previous_secret,
               e.previous_secret_expires_at, m.body::text
        FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id
        JOIN merchant_events m ON m.id = c.event_id AND m.created_at = c.event_created_at
        ORDER BY c.seq
        """;

    /// <param name="now">The dispatcher's clock.</param>
    /// <param name="leaseUntil">Until when the claimed deliveries are this dispatcher's (then due again).</param>
    /// <param name="skipEndpoints">Endpoints this dispatcher already sends to as much as it may.</param>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, int perEndpointMax,
        int breakerFailuresMax, Guid[] skipEndpoints, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        command.Parameters.Add(new NpgsqlParameter { Value = perEndpointMax });
        command.Parameters.Add(new NpgsqlParameter { Value = breakerFailuresMax });
        command.Parameters.Add(new NpgsqlParameter { Value = skipEndpoints, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6),
                reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetString(10)));
        }

        return claimed;
    }

    /// <summary>A 2xx: the delivery is done (whoever holds its lease now), and the endpoint's breaker closes.</summary>
    public async Task MarkDeliveredAsync(ClaimedDelivery delivery, int statusCode, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $2, next_attempt_at = NULL, last_status_code = $3, last_error = NULL " +
            "WHERE id = $1 AND status = 'pending'", delivery.Id, now, statusCode));
        batch.BatchCommands.Add(Command(
            "UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL, breaker_open_until = NULL WHERE id = $1", delivery.EndpointId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Anything else: the delivery is tried again at <paramref name="retryAt"/>, or is <c>failed</c> when that is past its
    /// deadline; the endpoint counts a consecutive failure, opens its breaker at <paramref name="breakerFailuresMax"/>,
    /// and is disabled once it has failed for <paramref name="disableAfter"/> without a success. Only the attempt that
    /// holds the lease (<see cref="ClaimedDelivery.Attempt"/>) writes the delivery.
    /// </summary>
    public async Task MarkFailedAsync(ClaimedDelivery delivery, int? statusCode, string error, DateTimeOffset now, DateTimeOffset retryAt,
        TimeSpan retryFor, int breakerFailuresMax, TimeSpan breakDuration, TimeSpan disableAfter, CancellationToken cancellationToken = default)
    {
        var deadline = delivery.RetryUntil ?? delivery.CreatedAt + retryFor;
        var failed = retryAt > deadline;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "UPDATE webhook_deliveries SET last_status_code = $3, last_error = $4, status = $5, next_attempt_at = $6 " +
            "WHERE id = $1 AND attempts = $2 AND status = 'pending'",
            delivery.Id, delivery.Attempt, statusCode is { } code ? (object)code : DBNull.Value, error, failed ? "failed" : "pending",
            failed ? DBNull.Value : (object)retryAt));
        batch.BatchCommands[0].Parameters[2].NpgsqlDbType = NpgsqlDbType.Integer;
        batch.BatchCommands[0].Parameters[5].NpgsqlDbType = NpgsqlDbType.TimestampTz;
        batch.BatchCommands.Add(Command(
            "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, $2), " +
            "breaker_open_until = CASE WHEN consecutive_failures + 1 >= $3 THEN $2 + $4 ELSE NULL END, " +
            "enabled = enabled AND coalesce(failing_since, $2) > $2 - $5, " +
            "disabled_reason = CASE WHEN enabled AND coalesce(failing_since, $2) <= $2 - $5 THEN 'failing' ELSE disabled_reason END " +
            "WHERE id = $1", delivery.EndpointId, now, breakerFailuresMax, breakDuration, disableAfter));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
