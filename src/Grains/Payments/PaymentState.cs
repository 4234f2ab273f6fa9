using System.Collections.Immutable;
using Payments.Actors.Payments;

namespace Payments.Actors.Grains.Payments;

/// <summary>The durable state of one payment: one row of <c>payments</c>. Immutable; every transition makes a new one.</summary>
[GenerateSerializer, Immutable, Alias("pa.PaymentState")]
public sealed record PaymentState(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string MerchantId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string Currency,
    [property: Id(4)] bool Capture,
    [property: Id(5)] PaymentStatus Status,
    [property: Id(6)] long AuthorizedMinor,
    [property: Id(7)] long CapturedMinor,
    [property: Id(8)] long RefundedMinor,
    [property: Id(9)] string Psp,
    [property: Id(10)] string? PspReference,
    [property: Id(11)] string? DeclineCode,
    [property: Id(12)] string? FailureReason,
    [property: Id(13)] string CardBrand,
    [property: Id(14)] string CardLast4,
    [property: Id(15)] string? Reference,
    [property: Id(16)] string? Description,
    [property: Id(17)] PendingOperation? Pending,
    [property: Id(18)] ImmutableArray<RefundSnapshot> Refunds,
    [property: Id(26)] ImmutableArray<DisputeSnapshot> Disputes,
    [property: Id(19)] string IdempotencyKey,
    [property: Id(20)] string Fingerprint,
    [property: Id(21)] int Version,
    [property: Id(22)] DateTimeOffset CreatedAt,
    [property: Id(23)] DateTimeOffset UpdatedAt,
    [property: Id(24)] string? WalletId = null,
    [property: Id(25)] Metadata? Metadata = null,
    [property: Id(27)] DateTimeOffset? AuthorizationExpiresAt = null)
{
    /// <summary>Checked after every transition, in release builds.</summary>
    public void AssertInvariants()
    {
        Invariant.Assert(AmountMinor > 0, $"Payment {Id}: amount {AmountMinor} must be positive.");
        Invariant.Assert(AuthorizedMinor is >= 0 && AuthorizedMinor <= AmountMinor,
            $"Payment {Id}: authorised {AuthorizedMinor} must be within 0..{AmountMinor}.");
        Invariant.Assert(CapturedMinor >= 0 && CapturedMinor <= AuthorizedMinor,
            $"Payment {Id}: captured {CapturedMinor} exceeds authorised {AuthorizedMinor}.");
        Invariant.Assert(RefundedMinor >= 0 && RefundedMinor <= CapturedMinor,
            $"Payment {Id}: refunded {RefundedMinor} exceeds captured {CapturedMinor}.");
        Invariant.Assert(Refunds.All(r => r.AmountMinor > 0), $"Payment {Id}: every refund must be positive.");
        Invariant.Assert(Pending is null || Pending.AmountMinor > 0, $"Payment {Id}: pending {Pending?.WireName} of {Pending?.AmountMinor} must be positive.");
        Invariant.Assert(Refunds.Where(r => r.Status == RefundStatuses.Succeeded).Sum(r => r.AmountMinor) == RefundedMinor,
            $"Payment {Id}: refunds do not add up to refunded {RefundedMinor}.");
        Invariant.Assert(Status != PaymentStatus.Refunded || (RefundedMinor == CapturedMinor && CapturedMinor > 0),
            $"Payment {Id}: REFUNDED with refunded {RefundedMinor} != captured {CapturedMinor}.");
        Invariant.Assert(Status is not (PaymentStatus.Captured or PaymentStatus.Refunded) || CapturedMinor > 0,
            $"Payment {Id}: {Status} without a captured amount.");
        Invariant.Assert(!Status.IsTerminal() || Pending is null, $"Payment {Id}: terminal {Status} with a pending operation.");
        Invariant.Assert(Disputes.All(d => d.AmountMinor > 0 && d.AmountMinor <= CapturedMinor && d.Currency == Currency),
            $"Payment {Id}: every dispute must be positive, in {Currency} and within captured {CapturedMinor}.");
        Invariant.Assert(Disputes.Select(d => d.PspReference).Distinct().Count() == Disputes.Length, $"Payment {Id}: two disputes with one PSP id.");
        Invariant.Assert((Status == PaymentStatus.Authorized) == (AuthorizationExpiresAt is not null),
            $"Payment {Id}: an authorisation expiry exactly while AUTHORIZED (status {Status}, expiry {AuthorizationExpiresAt}).");
        Invariant.Assert(Version > 0, $"Payment {Id}: version {Version} must be positive.");
    }

    public PaymentSnapshot ToSnapshot() => new(
        Id, MerchantId, Status, AmountMinor, Currency, Capture, AuthorizedMinor, CapturedMinor, RefundedMinor,
        Psp, PspReference, DeclineCode, FailureReason, CardBrand, CardLast4, Reference, Description,
        Pending?.WireName, Refunds, CreatedAt, UpdatedAt, Version, WalletId, Metadata, Disputes, AuthorizationExpiresAt);

    /// <summary>The dispute the PSP knows by <paramref name="pspReference"/>, if the payment has it.</summary>
    public DisputeSnapshot? DisputeByPspReference(string pspReference) =>
        Disputes.FirstOrDefault(d => string.Equals(d.PspReference, pspReference, StringComparison.Ordinal));
}

public static class RefundStatuses
{
    public const string Succeeded = "SUCCEEDED";
}
