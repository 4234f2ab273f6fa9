namespace Payments.Actors.Payments;

/// <summary>
/// A chargeback on a payment as the API shows it (<c>GET /v1/disputes/{id}</c>, a payment's <c>disputes</c>). The
/// cardholder's bank took <see cref="AmountMinor"/> back through the PSP when it opened; a dispute the merchant wins
/// gives it back. <see cref="PspReference"/> is the PSP's id of the dispute: one dispute per PSP id, however often the
/// PSP notifies. <see cref="Status"/> is one of <see cref="DisputeStatuses"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.DisputeSnapshot")]
public sealed record DisputeSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid PaymentId,
    [property: Id(2)] string MerchantId,
    [property: Id(3)] string Psp,
    [property: Id(4)] string PspReference,
    [property: Id(5)] long AmountMinor,
    [property: Id(6)] string Currency,
    [property: Id(7)] string Status,
    [property: Id(8)] string? Reason,
    [property: Id(9)] DateTimeOffset? EvidenceDueBy,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt,
    [property: Id(12)] DateTimeOffset? ClosedAt)
{
    public bool IsOpen => Status == DisputeStatuses.NeedsResponse;
}
