using Payments.Actors.Payments;

namespace Payments.Actors.ApiFront.Apis.Payments;

/// <summary>Body of <c>POST /v1/payments</c>. Every member is nullable so that a missing field is reported by name, not as a parse error.</summary>
public sealed record CreatePaymentRequest(
    long? AmountMinor,
    string? Currency,
    bool? Capture,
    CardRequest? Card,
    string? Reference,
    string? Description,
    PaymentMethodRequest? PaymentMethod = null,
    Dictionary<string, string?>? Metadata = null);

/// <summary>Another way to pay than a card: <c>{"type":"wallet","wallet_id":"w1"}</c> pays from the merchant's wallet.</summary>
public sealed record PaymentMethodRequest(string? Type, string? WalletId);

public sealed record CardRequest(string? Number, int? ExpMonth, int? ExpYear, string? Cvc)
{
    // Records print every member by default; a card must never reach a log line.
    public override string ToString() => "CardRequest { *** }";
}

/// <summary>Body of <c>POST /v1/payments/{id}/capture</c>; no amount captures the whole authorisation.</summary>
public sealed record CaptureRequest(long? AmountMinor);

/// <summary>Body of <c>POST /v1/payments/{id}/refund</c>; no amount refunds everything still refundable. <c>metadata</c> is the refund's.</summary>
public sealed record RefundRequest(long? AmountMinor, string? Reason, Dictionary<string, string?>? Metadata = null);

/// <summary>Body of <c>POST /v1/payments/{id}/void</c>: nothing to say, but an empty object is accepted.</summary>
public sealed record VoidRequest;

public sealed record PaymentResponse(
    Guid Id,
    string Object,
    string State,
    long AmountMinor,
    string Currency,
    bool Capture,
    long AuthorizedMinor,
    long CapturedMinor,
    long RefundedMinor,
    string Psp,
    string? PspReference,
    string? DeclineCode,
    string? FailureReason,
    CardResponse? Card,
    string? Reference,
    string? Description,
    string? PendingOperation,
    IReadOnlyList<RefundResponse> Refunds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? WalletId,
    Metadata Metadata,
    IReadOnlyList<PaymentDisputeResponse> Disputes,
    PaymentDeadline? NextDeadline)
{
    public static PaymentResponse From(PaymentSnapshot p) => new(
        p.Id, "payment", p.Status.ToWire(), p.AmountMinor, p.Currency, p.Capture, p.AuthorizedMinor, p.CapturedMinor,
        p.RefundedMinor, p.Psp, p.PspReference, p.DeclineCode, p.FailureReason, p.WalletId is null ? new CardResponse(p.CardBrand, p.CardLast4) : null,
        p.Reference, p.Description, p.PendingOperation,
        [.. p.Refunds.Select(r => new RefundResponse(r.Id, r.AmountMinor, r.Status, r.PspReference, r.Reason, r.CreatedAt, r.Metadata ?? Metadata.Empty))],
        p.CreatedAt, p.UpdatedAt, p.Version, p.WalletId, p.Metadata ?? Metadata.Empty,
        [.. (p.Disputes ?? []).Select(d => new PaymentDisputeResponse(d.Id, d.AmountMinor, d.Status, d.CreatedAt))], PaymentDeadline.Next(p));
}

public sealed record CardResponse(string Brand, string Last4);

/// <summary>
/// The next thing that happens to a payment by a date unless someone acts: <c>authorization_expiry</c> (an uncaptured
/// authorisation is voided by the platform then) or <c>dispute_evidence</c> (an open dispute's evidence is due).
/// </summary>
public sealed record PaymentDeadline(string Type, DateTimeOffset At)
{
    public const string AuthorizationExpiry = "authorization_expiry";
    public const string DisputeEvidence = "dispute_evidence";

    public static PaymentDeadline? Next(PaymentSnapshot p)
    {
        IEnumerable<PaymentDeadline> candidates =
        [
            .. p.AuthorizationExpiresAt is { } expiry ? [new PaymentDeadline(AuthorizationExpiry, expiry)] : Array.Empty<PaymentDeadline>(),
            .. (p.Disputes ?? []).Where(d => d.IsOpen && d.EvidenceDueBy is not null).Select(d => new PaymentDeadline(DisputeEvidence, d.EvidenceDueBy!.Value)),
        ];
        return candidates.MinBy(d => d.At);
    }
}

/// <summary>A dispute as its payment lists it; <c>GET /v1/disputes/{id}</c> has the rest.</summary>
public sealed record PaymentDisputeResponse(Guid Id, long AmountMinor, string Status, DateTimeOffset CreatedAt);

public sealed record RefundResponse(Guid Id, long AmountMinor, string State, string? PspReference, string? Reason, DateTimeOffset CreatedAt, Metadata Metadata);

public sealed record PaymentListResponse(string Object, IReadOnlyList<PaymentResponse> Data, bool HasMore, string? NextCursor);
