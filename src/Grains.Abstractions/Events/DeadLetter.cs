namespace Payments.Actors.Events;

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
