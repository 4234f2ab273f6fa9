namespace Payments.Actors.Events;

/// <summary>
/// A page of a merchant's events, newest first: older than <see cref="StartingAfter"/>, or the newer ones closest to
/// <see cref="EndingBefore"/> (event ids; not both). <see cref="Type"/> is an exact type or a pattern
/// (<see cref="MerchantEventTypes.IsPattern"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.MerchantEventListQuery")]
public sealed record MerchantEventListQuery(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] int Limit,
    [property: Id(2)] Guid? StartingAfter = null,
    [property: Id(3)] Guid? EndingBefore = null,
    [property: Id(4)] string? Type = null,
    [property: Id(5)] DateTimeOffset? CreatedGte = null,
    [property: Id(6)] DateTimeOffset? CreatedLt = null);
