namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// <c>GET /admin/stats/{provider}</c>. <c>RequestsProcessed</c> counts commands executed and recorded;
/// <c>RequestsUnrecorded</c> those executed but left no trace (processing errors, malformed input);
/// <c>RequestsFaulted</c> and <c>RequestsAborted</c> those an injected fault stopped before processing.
/// </summary>
internal sealed record ProviderStatsSnapshot(
    string Provider,
    long RequestsReceived,
    long RequestsProcessed,
    long RequestsReplayed,
    long RequestsUnrecorded,
    long RequestsRejected,
    long RequestsFaulted,
    long RequestsAborted,
    long TimeoutsInjected,
    long Inquiries,
    long ChargesTotal,
    IReadOnlyDictionary<string, long> ChargesByStatus);
