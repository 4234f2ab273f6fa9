using Payments.Actors.Reconciliation;

namespace Payments.Actors.ApiFront.Apis.Operator.Reconciliation;

/// <summary>Body of a break action; <c>reason</c> is required to resolve or write off, optional to acknowledge.</summary>
public sealed record BreakActionRequest(string? Reason);

/// <summary>A reconciliation break; <c>trail</c> (every step, who, when, why) when one break is read, else empty.</summary>
public sealed record BreakResponse(
    Guid Id,
    string Object,
    string Kind,
    string Psp,
    Guid? PaymentId,
    string? PspReference,
    DateOnly? ValueDate,
    long? ExpectedMinor,
    long? ActualMinor,
    string? Currency,
    string Detail,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? ResolutionReason,
    IReadOnlyList<BreakTrailResponse> Trail)
{
    public static BreakResponse From(BreakSnapshot b) => new(
        b.Id, "reconciliation_break", b.Kind, b.Psp, b.PaymentId, b.PspReference, b.ValueDate, b.ExpectedMinor, b.ActualMinor, b.Currency, b.Detail,
        b.Status, b.OpenedAt, b.UpdatedAt, b.ClosedAt, b.ClosedBy, b.ResolutionReason,
        [.. (b.Trail ?? []).Select(t => new BreakTrailResponse(t.Action, t.FromStatus, t.ToStatus, t.Actor, t.Reason, t.At))]);
}

public sealed record BreakTrailResponse(string Action, string? FromStatus, string ToStatus, string Actor, string? Reason, DateTimeOffset At);

public sealed record BreakListResponse(string Object, IReadOnlyList<BreakResponse> Data, bool HasMore, string? NextCursor);
