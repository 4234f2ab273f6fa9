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
/// <see cref="OutboxInsert"/> sets it.
/// </summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<SqlValue> Values, Expect Expect = Expect.Any)
{
    public bool WritesOutbox { get; private init; }

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
