namespace Payments.Actors.Ledger;

/// <summary>
/// What an operator's repair did: money events without their posting were posted from their outbox row through the
/// same rules and ledger grains as the Kafka feed. <see cref="Posted"/> were missing and are booked now,
/// <see cref="AlreadyBooked"/> had been booked meanwhile; <see cref="Rejected"/> and <see cref="Unrepairable"/>
/// (a payment or wallet whose amounts differ from the books with no event left to post) need a person.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerRepairReport")]
public sealed record LedgerRepairReport(
    [property: Id(0)] int Posted,
    [property: Id(1)] int AlreadyBooked,
    [property: Id(2)] IReadOnlyList<LedgerProblem> Rejected,
    [property: Id(3)] IReadOnlyList<LedgerProblem> Unrepairable,
    [property: Id(4)] DateTimeOffset RepairedAt);
