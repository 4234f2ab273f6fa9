using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Kafka;

namespace Payments.Actors.Grains.Events;

/// <summary>Operator actions on the outbox and the dead-letter topics (see <see cref="IEventBackboneGrain"/>).</summary>
public sealed partial class EventBackboneGrain(NpgsqlDataSource dataSource, DeadLetterQueue deadLetters, ILogger<EventBackboneGrain> logger)
    : Grain, IEventBackboneGrain
{
    public async Task<OutboxStatus> GetOutboxAsync(int limit)
    {
        long pending = 0, published = 0, parked = 0;
        double oldest = 0;
        // Each part reads its own partial index: the published count walks the retained history's index, not the table.
        await using (var counts = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM outbox_events WHERE status = 'NEW'),
                   (SELECT count(*) FROM outbox_events WHERE status = 'PUBLISHED'),
                   (SELECT count(*) FROM outbox_events WHERE status = 'PARKED'),
                   coalesce(extract(epoch FROM now() - (SELECT created_at FROM outbox_events WHERE status = 'NEW' ORDER BY seq LIMIT 1)), 0)::float8
            """))
        await using (var reader = await counts.ExecuteReaderAsync())
        {
            if (await reader.ReadAsync())
            {
                (pending, published, parked, oldest) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3));
            }
        }

        var events = new List<ParkedEvent>();
        await using (var list = dataSource.CreateCommand(
            "SELECT id, agg_type, agg_id, event_type, retry_count, last_error, created_at FROM outbox_events WHERE status = 'PARKED' ORDER BY seq LIMIT $1"))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = limit });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(new ParkedEvent(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return new OutboxStatus(pending, oldest, published, parked, events);
    }

    public async Task<int> RequeueParkedAsync(string requestedBy)
    {
        Invariant.Assert(!string.IsNullOrWhiteSpace(requestedBy), "An operator action must name who asked for it.");
        await using var command = dataSource.CreateCommand("UPDATE outbox_events SET status = 'NEW', retry_count = 0 WHERE status = 'PARKED'");
        var count = await command.ExecuteNonQueryAsync();
        LogRequeued(logger, count, requestedBy);
        return count;
    }

    public async Task<IReadOnlyList<DeadLetter>?> ListDeadLettersAsync(string topic, int limit) =>
        deadLetters.IsOurs(topic) ? await deadLetters.ListAsync(topic, limit, CancellationToken.None) : null;

    public async Task<int?> ReplayDeadLettersAsync(string topic, string requestedBy)
    {
        Invariant.Assert(!string.IsNullOrWhiteSpace(requestedBy), "An operator action must name who asked for it.");
        if (!deadLetters.IsOurs(topic))
        {
            return null;
        }

        var count = await deadLetters.ReplayAsync(topic, CancellationToken.None);
        LogReplayRequested(logger, count, topic, requestedBy);
        return count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} parked outbox events requeued by {RequestedBy}")]
    private static partial void LogRequeued(ILogger logger, int count, string requestedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} dead letters of {Topic} replayed by {RequestedBy}")]
    private static partial void LogReplayRequested(ILogger logger, int count, string topic, string requestedBy);
}
