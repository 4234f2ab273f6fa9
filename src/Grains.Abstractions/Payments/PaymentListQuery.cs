namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.PaymentListQuery")]
public sealed record PaymentListQuery(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] int Limit,
    [property: Id(2)] DateTimeOffset? StartingAfterCreatedAt,
    [property: Id(3)] Guid? StartingAfterId,
    [property: Id(4)] PaymentStatus? Status,
    [property: Id(5)] DateTimeOffset? CreatedGte = null,
    [property: Id(6)] DateTimeOffset? CreatedLt = null,
    [property: Id(7)] DateTimeOffset? EndingBeforeCreatedAt = null,
    [property: Id(8)] Guid? EndingBeforeId = null);
