using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis.Disputes;

/// <summary>
/// A dispute (chargeback) as <c>GET /v1/disputes/{id}</c> answers and a <c>dispute.*</c> event shows it. <c>status</c>:
/// <c>needs_response</c> while open, then <c>won</c> or <c>lost</c>; <c>psp_reference</c> is the PSP's id of it.
/// </summary>
public sealed record DisputeResponse(
    Guid Id,
    string Object,
    Guid PaymentId,
    long AmountMinor,
    string Currency,
    string Status,
    string? Reason,
    DateTimeOffset? EvidenceDueBy,
    string Psp,
    string PspReference,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt)
{
    public static DisputeResponse From(DisputeSnapshot d) => new(
        d.Id, "dispute", d.PaymentId, d.AmountMinor, d.Currency, d.Status, d.Reason, d.EvidenceDueBy, d.Psp, d.PspReference, d.CreatedAt, d.UpdatedAt, d.ClosedAt);
}

public sealed record DisputeListResponse(string Object, IReadOnlyList<DisputeResponse> Data, bool HasMore, string? NextCursor);
