namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>A dispute as the admin API answers it; amounts in minor units.</summary>
internal sealed record DisputeView(
    string Id,
    string Provider,
    string ChargeId,
    string Reference,
    long AmountMinor,
    string Currency,
    string Reason,
    DateTimeOffset DueBy,
    string Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt);
