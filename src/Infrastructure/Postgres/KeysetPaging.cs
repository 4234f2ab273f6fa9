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
    /// <summary>
    /// The cursor bound: rows older than <paramref name="after"/>, or newer than <paramref name="before"/> (not both). The
    /// bare <c>created_at</c> bound beside the row comparison lets PostgreSQL prune monthly partitions. True when paging
    /// back (before a cursor), which <see cref="Finish"/> and <see cref="ReadPageAsync{T}"/> must know.
    /// </summary>
    public static bool AppendCursor(StringBuilder sql, List<object> values, (DateTimeOffset CreatedAt, Guid Id)? after, (DateTimeOffset CreatedAt, Guid Id)? before)
    {
        if ((after ?? before) is not { } cursor)
        {
            return false;
        }

        if (after is not null && before is not null)
        {
            throw new ArgumentException("A list pages after a cursor or before one, not both.");
        }

        values.Add(cursor.CreatedAt.ToUniversalTime());
        values.Add(cursor.Id);
        var (a, b) = ($"${values.Count - 1}", $"${values.Count}");
        sql.Append(after is not null
            ? $" AND created_at <= {a} AND (created_at, id) < ({a}, {b})"
            : $" AND created_at >= {a} AND (created_at, id) > ({a}, {b})");
        return before is not null;
    }

    /// <summary>Reads a page of at most <paramref name="limit"/> rows newest first, and whether more follow in the page's direction.</summary>
    public static async Task<(List<T> Page, bool HasMore)> ReadPageAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, int limit, bool backwards,
        CancellationToken cancellationToken)
    {
        var items = new List<T>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(read(reader));
            }
        }

        var hasMore = items.Count > limit;
        var page = hasMore ? items[..limit] : items;
        if (backwards)
        {
            // Read oldest first from the cursor so the limit keeps the closest ones; shown newest first like every page.
            page.Reverse();
        }

        return (page, hasMore);
    }

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
