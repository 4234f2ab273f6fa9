using Npgsql;
using NpgsqlTypes;

namespace Payments.Actors.Grains.Storage;

/// <summary>What a statement must do for its write unit to count as applied.</summary>
public enum Expect
{
    /// <summary>Any row count is fine.</summary>
    Any,
    /// <summary>At least one row must be affected; zero means a conflict (version check, unique key taken).</summary>
    AtLeastOneRow,
}

/// <summary>One SQL statement with positional parameters ($1, $2, ...). Values, not ADO objects, so it can be replayed.</summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<SqlValue> Values, Expect Expect = Expect.Any)
{
    /// <summary>Whether committing this statement gives the outbox relay something to publish.</summary>
    internal bool WritesOutbox => Sql.StartsWith("INSERT INTO outbox_events", StringComparison.Ordinal);

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
