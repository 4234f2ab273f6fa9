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

    /// <summary>
    /// Runs <paramref name="statements"/> as one batch in the caller's transaction and returns each one's row count. A
    /// statement that expects a row and affects none throws <see cref="InvalidOperationException"/>; the caller's
    /// transaction is then to be rolled back. Pulse the outbox relay after the commit when any statement writes the outbox.
    /// </summary>
    public static async Task<int[]> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SqlStatement> statements,
        CancellationToken cancellationToken = default)
    {
        if (statements.Count == 0)
        {
            return [];
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement.ToBatchCommand());
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        var counts = new int[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            counts[i] = batch.BatchCommands[i].RecordsAffected;
            if (statements[i].Expect == Expect.AtLeastOneRow && counts[i] == 0)
            {
                throw new InvalidOperationException($"Statement {i} of the batch expected a row and affected none.");
            }
        }

        return counts;
    }
}
