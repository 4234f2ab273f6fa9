namespace Payments.Actors.Events;

/// <summary>The Kafka record headers every event carries (docs/events.md); consumers de-duplicate by <see cref="EventId"/>.</summary>
public static class EventHeaders
{
    public const string EventId = "event_id";

    public const string EventType = "event_type";

    public const string AggType = "agg_type";
}
