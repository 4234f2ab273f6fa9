namespace Payments.Actors.Events;

[GenerateSerializer, Immutable, Alias("pa.ParkedEvent")]
public sealed record ParkedEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string AggType,
    [property: Id(2)] Guid AggId,
    [property: Id(3)] string EventType,
    [property: Id(4)] int Attempts,
    [property: Id(5)] string? LastError,
    [property: Id(6)] DateTimeOffset CreatedAt);
