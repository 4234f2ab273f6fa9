using Npgsql;
using NpgsqlTypes;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>What a statement must do for its write unit to count as applied.</summary>
public enum Expect
{
    /// <summary>Any row count is fine.</summary>
    Any,
    /// <summary>At least one row must be affected; zero means a conflict (version check, unique key taken).</summary>
    AtLeastOneRow,
}

/// <summary>
/// One SQL statement with positional parameters ($1, $2, ...). Values, not ADO objects, so it can be replayed.
/// <see cref="WritesOutbox"/> says whether committing it gives the outbox relay something to publish; only
/// <see cref="OutboxInsert"/> sets it; <see cref="WakesWebhooks"/> (set by <see cref="MerchantEventInsert"/>) says that
/// the rows it affects are webhook deliveries for the dispatcher.
/// </summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<SqlValue> Values, Expect Expect = Expect.Any)
{
    public bool WritesOutbox { get; private init; }

    /// <summary>The rows this statement affects are webhook deliveries: committing any wakes the dispatcher.</summary>
    public bool WakesWebhooks { get; private init; }

    /// <summary>
    /// An event for the outbox relay (docs/events.md): committed with the state change that makes it true. With
    /// <paramref name="onlyIf"/>, a SQL condition that may use the event's parameters ($1 is the event id), the event is
    /// written only when it holds at that point of the unit (e.g. when an earlier <c>ON CONFLICT DO NOTHING</c> inserted).
    /// </summary>
    public static SqlStatement OutboxInsert(Guid eventId, string aggregateType, Guid aggregateId, string eventType, string payloadJson,
        DateTimeOffset now, string? onlyIf = null) => new(
            onlyIf is null
                ? "INSERT INTO outbox_events (id, agg_type, agg_id, event_type, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
                : $"INSERT INTO outbox_events (id, agg_type, agg_id, event_type, payload, created_at) SELECT $1, $2, $3, $4, $5, $6 WHERE {onlyIf}",
            [eventId, aggregateType, aggregateId, eventType, SqlValue.Jsonb(payloadJson), now])
        {
            WritesOutbox = true,
        };

    /// <summary>
    /// Outbox events whose rows a query makes from the state the unit has just written:
    /// <c>INSERT INTO outbox_events (id, agg_type, agg_id, event_type, payload, created_at) SELECT …</c>, zero or more rows.
    /// For events whose payload is the row they describe, so the event can never say something the row does not.
    /// </summary>
    public static SqlStatement OutboxInsertSelect(string selectSql, IReadOnlyList<SqlValue> values) =>
        new("INSERT INTO outbox_events (id, agg_type, agg_id, event_type, payload, created_at) " + selectSql, values) { WritesOutbox = true };

    /// <summary>
    /// A merchant event (the outbox event <paramref name="eventId"/> as the merchant sees it, rendered in
    /// <paramref name="bodyJson"/>) and, in the same statement, one webhook delivery per enabled endpoint of the merchant
    /// whose enabled events match the type: exactly, by its family (<c>payment.*</c>) or <c>*</c>. No SELECT of its own
    /// and no row when the merchant has no such endpoint; its row count is the deliveries inserted.
    /// <paramref name="createdAt"/> must be the UUIDv7 time of the id (the partition it names).
    /// </summary>
    public static SqlStatement MerchantEventInsert(Guid eventId, string merchantId, string eventType, DateTimeOffset createdAt, string bodyJson) => new(
        "WITH event AS (INSERT INTO merchant_events (id, merchant_id, type, created_at, body) VALUES ($1, $2, $3, $4, $5::json)) " +
        "INSERT INTO webhook_deliveries (endpoint_id, merchant_id, event_id, event_created_at, event_type, next_attempt_at, created_at) " +
        "SELECT w.id, $2, $1, $4, $3, $4, $4 FROM webhook_endpoints w WHERE w.merchant_id = $2 AND w.enabled " +
        "AND w.enabled_events && ARRAY['*', $3, split_part($3, '.', 1) || '.*']",
        [eventId, merchantId, eventType, createdAt, bodyJson])
        {
            WakesWebhooks = true,
        };

    internal NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(Sql);
        foreach (var value in Values)
        {
            var parameter = value.Type is { } type
                ? new NpgsqlParameter { NpgsqlDbType = type, Value = value.Value ?? DBNull.Value }
                : new NpgsqlParameter { Value = value.Value ?? DBNull.Value };
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

public readonly record struct SqlValue(object? Value, NpgsqlDbType? Type = null)
{
    public static implicit operator SqlValue(string? value) => new(value, NpgsqlDbType.Text);

    public static implicit operator SqlValue(long value) => new(value);

    public static implicit operator SqlValue(int value) => new(value);

    public static implicit operator SqlValue(bool value) => new(value);

    public static implicit operator SqlValue(Guid value) => new(value);

    public static implicit operator SqlValue(byte[]? value) => new(value, NpgsqlDbType.Bytea);

    public static implicit operator SqlValue(DateTimeOffset value) => new(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    public static SqlValue Jsonb(string? json) => new(json, NpgsqlDbType.Jsonb);
}
