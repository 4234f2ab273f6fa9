namespace Payments.Actors.Events;

/// <summary>
/// The operator's view of the event backbone (key 0): the outbox relay's backlog and parked rows, and
/// the Kafka dead-letter topics with their replay. Every action names who asked for it; it is logged.
/// </summary>
[Alias("pa.IEventBackboneGrain")]
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
