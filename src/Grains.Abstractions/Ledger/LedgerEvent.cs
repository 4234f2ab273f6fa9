namespace Payments.Actors.Ledger;

/// <summary>
/// One event offered to the ledger, as it came off Kafka (docs/events.md): the source system
/// (<see cref="LedgerSourceSystems"/>), the event id from the <c>event_id</c> header, the
/// <c>event_type</c> header and the message value (the payload JSON, UTF-8 text).
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerEvent")]
public sealed record LedgerEvent(
    [property: Id(0)] string SourceSystem,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string EventType,
    [property: Id(3)] string PayloadJson);
