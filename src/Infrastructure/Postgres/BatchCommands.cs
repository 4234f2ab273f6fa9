using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

public static class BatchCommands
{
    /// <summary>One statement of a read batch, with positional parameters ($1, $2, ...) typed by their values.</summary>
    public static NpgsqlBatchCommand Of(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
