namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// One charge as the admin API lists it. Amounts are in minor units whatever the provider's wire
/// format; <c>Reason</c> is the provider's own decline or rejection code; <c>Settled</c> says a capture has
/// settled (<c>POST /admin/settle/{provider}</c> or <c>Webhooks:SettleAfterMs</c>).
/// </summary>
internal sealed record ChargeSummary(
    string Id,
    string Reference,
    string Kind,
    string Status,
    long AmountMinor,
    string Currency,
    long CapturedMinor,
    long RefundedMinor,
    string? Reason,
    DateTimeOffset CreatedAt,
    bool Settled = false);
