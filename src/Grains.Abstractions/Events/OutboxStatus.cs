namespace Payments.Actors.Events;

[GenerateSerializer, Immutable, Alias("pa.OutboxStatus")]
public sealed record OutboxStatus(
    [property: Id(0)] long Pending,
    [property: Id(1)] double OldestPendingAgeSeconds,
    [property: Id(2)] long Published,
    [property: Id(3)] long Parked,
    [property: Id(4)] IReadOnlyList<ParkedEvent> ParkedEvents);
