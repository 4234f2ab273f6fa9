using System.Text;
using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// The shared tail of a keyset-paged list on <c>(created_at, id)</c>: creation-time bounds, the order (newest first, or
/// oldest first when paging back before a cursor) with one row more than the page to tell whether more follow, and the
/// command with its positional values.
/// </summary>
public static class KeysetPaging
{
    public static NpgsqlCommand Finish(NpgsqlDataSource dataSource, StringBuilder sql, List<object> values, DateTimeOffset? createdGte,
        DateTimeOffset? createdLt, bool backwards, int limit)
    {
        if (createdGte is { } gte)
        {
            values.Add(gte.ToUniversalTime());
            sql.Append(" AND created_at >= $").Append(values.Count);
        }

        if (createdLt is { } lt)
        {
            values.Add(lt.ToUniversalTime());
            sql.Append(" AND created_at < $").Append(values.Count);
        }

        values.Add(limit + 1);
        sql.Append(backwards ? " ORDER BY created_at, id LIMIT $" : " ORDER BY created_at DESC, id DESC LIMIT $").Append(values.Count);
        var command = dataSource.CreateCommand(sql.ToString());
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
