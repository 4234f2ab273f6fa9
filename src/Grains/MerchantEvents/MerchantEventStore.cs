using System.Text;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Grains.MerchantEvents;

/// <summary>
/// The merchant events in PostgreSQL (<c>merchant_events</c>, monthly partitions). Writes are statements of the write
/// unit of the change they describe (<see cref="Insert"/>); reads are merchant-scoped and see only events within
/// <see cref="StorageMaintenance.MerchantEventsRetention"/>, so what the API shows does not depend on when the
/// maintenance service last dropped a month. An event id is a UUIDv7 whose time is the event's <c>created_at</c>:
/// a lookup or a cursor names its partition without reading anything.
/// </summary>
public sealed class MerchantEventStore(NpgsqlDataSource dataSource)
{
    /// <summary>The event and its webhook deliveries, one statement (see <see cref="SqlStatement.MerchantEventInsert"/>).</summary>
    public static SqlStatement Insert(Guid eventId, string merchantId, string type, string body) =>
        SqlStatement.MerchantEventInsert(eventId, merchantId, type, UuidV7.TimestampOf(eventId), body);

    public async Task<MerchantEventRecord?> GetAsync(string merchantId, Guid eventId, DateTimeOffset visibleFrom, CancellationToken cancellationToken = default)
    {
        if (!UuidV7.IsVersion7(eventId))
        {
            return null;
        }

        var createdAt = UuidV7.TimestampOf(eventId);
        if (createdAt < visibleFrom)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT id, type, created_at, body::text FROM merchant_events WHERE id = $1 AND created_at = $2 AND merchant_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        command.Parameters.Add(new NpgsqlParameter { Value = createdAt });
        command.Parameters.Add(new NpgsqlParameter { Value = merchantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Keyset paging on (created_at, id), newest first; before a cursor the closest newer ones, shown newest first too.</summary>
    public async Task<MerchantEventPage> ListAsync(MerchantEventListQuery query, DateTimeOffset visibleFrom, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT id, type, created_at, body::text FROM merchant_events WHERE merchant_id = $1 AND created_at >= $2");
        var values = new List<object> { query.MerchantId, visibleFrom.ToUniversalTime() };
        var backwards = KeysetPaging.AppendCursor(sql, values, CursorOf(query.StartingAfter), CursorOf(query.EndingBefore));
        if (query.Type is { } type && type != MerchantEventTypes.Any)
        {
            var family = type.EndsWith(".*", StringComparison.Ordinal);
            values.Add(family ? type[..^1] + "%" : type);
            sql.Append(family ? " AND type LIKE $" : " AND type = $").Append(values.Count);
        }

        await using var command = KeysetPaging.Finish(dataSource, sql, values, query.CreatedGte, query.CreatedLt, backwards, query.Limit);

        var (page, hasMore) = await KeysetPaging.ReadPageAsync(command, Read, query.Limit, backwards, cancellationToken);
        return new MerchantEventPage(page, hasMore);
    }

    /// <summary>An event id names its creation time.</summary>
    private static (DateTimeOffset, Guid)? CursorOf(Guid? id) => id is { } value ? (UuidV7.TimestampOf(value), value) : null;

    private static MerchantEventRecord Read(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3));
}
