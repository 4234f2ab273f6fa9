namespace Payments.Actors.Grains.Reconciliation;

/// <summary>
/// A break a matcher found. <see cref="DedupeKey"/> names the disagreement (<c>t0:…</c> for streaming, <c>t1:…</c> for
/// settlement files): finding it again is the same break.
/// </summary>
public sealed record BreakDraft(
    string DedupeKey,
    string Kind,
    string Psp,
    string Detail,
    Guid? PaymentId = null,
    string? PspReference = null,
    DateOnly? ValueDate = null,
    long? ExpectedMinor = null,
    long? ActualMinor = null,
    string? Currency = null);
