namespace Payments.Actors.Events;

/// <summary>
/// The operator's view of the event backbone (key 0): the outbox relay's backlog and parked rows, and
/// the Kafka dead-letter topics with their replay. Every action names who asked for it; it is logged.
/// </summary>
public interface IEventBackboneGrain : IGrainWithIntegerKey
{
    /// <summary>Outbox counts by status, the oldest unpublished event's age and the parked events (at most <paramref name="limit"/>).</summary>
    Task<OutboxStatus> GetOutboxAsync(int limit);

    /// <summary>Puts every PARKED outbox event back to NEW with its attempts reset; returns how many.</summary>
    Task<int> RequeueParkedAsync(string requestedBy);

    /// <summary>Dead letters of <paramref name="topic"/> not yet replayed, oldest first. Null when the topic is not one of ours.</summary>
    Task<IReadOnlyList<DeadLetter>?> ListDeadLettersAsync(string topic, int limit);

    /// <summary>Produces every dead letter of <paramref name="topic"/> not yet replayed back to the topic; returns how many. Null when the topic is not one of ours.</summary>
    Task<int?> ReplayDeadLettersAsync(string topic, string requestedBy);
}

[GenerateSerializer, Immutable, Alias("pa.OutboxStatus")]
public sealed record OutboxStatus(
    [property: Id(0)] long Pending,
    [property: Id(1)] double OldestPendingAgeSeconds,
    [property: Id(2)] long Published,
    [property: Id(3)] long Parked,
    [property: Id(4)] IReadOnlyList<ParkedEvent> ParkedEvents);

[GenerateSerializer, Immutable, Alias("pa.ParkedEvent")]
public sealed record ParkedEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string AggType,
    [property: Id(2)] Guid AggId,
    [property: Id(3)] string EventType,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string? LastError,
    [property: Id(6)] DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable, Alias("pa.DeadLetter")]
public sealed record DeadLetter(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] string? Key,
    [property: Id(4)] string? EventId,
    [property: Id(5)] string? EventType,
    [property: Id(6)] string Error,
    [property: Id(7)] string SourceTopic,
    [property: Id(8)] int SourcePartition,
    [property: Id(9)] long SourceOffset,
    [property: Id(10)] DateTimeOffset FailedAt);
