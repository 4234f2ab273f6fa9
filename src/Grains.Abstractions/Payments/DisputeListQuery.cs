namespace Payments.Actors.Payments;

/// <summary>
/// A page of a merchant's disputes, newest first: older than <see cref="StartingAfter"/>, or the newer ones closest to
/// <see cref="EndingBefore"/> (dispute ids; not both); optionally one payment's, or in one <see cref="DisputeStatuses"/> status.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.DisputeListQuery")]
public sealed record DisputeListQuery(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] int Limit,
    [property: Id(2)] Guid? StartingAfter = null,
    [property: Id(3)] Guid? EndingBefore = null,
    [property: Id(4)] Guid? PaymentId = null,
    [property: Id(5)] string? Status = null,
    [property: Id(6)] DateTimeOffset? CreatedGte = null,
    [property: Id(7)] DateTimeOffset? CreatedLt = null);
