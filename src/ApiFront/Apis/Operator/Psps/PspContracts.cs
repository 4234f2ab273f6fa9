using Payments.Actors.Psp;

namespace Payments.Actors.ApiFront.Apis.Operator.Psps;

/// <summary>Any subset of a PSP's runtime settings; absent fields keep their value. Durations are whole milliseconds.</summary>
public sealed record SetPspRequest(
    bool? Enabled,
    int? RoutingPriority,
    long? ConnectTimeoutMs,
    long? RequestTimeoutMs,
    long? AdapterBudgetTotalMs,
    int? RetryAttemptsMax,
    double? BreakerFailureRatio,
    int? BreakerThroughputMin,
    long? BreakerSamplingDurationMs,
    int? BreakerConsecutiveFailures,
    long? BreakDurationMs,
    int? BulkheadConcurrencyMax,
    int? BulkheadQueueMax)
{
    /// <summary>The thresholds the request sets, keyed by wire name.</summary>
    public Dictionary<string, double> Thresholds()
    {
        var set = new Dictionary<string, double>(StringComparer.Ordinal);
        Add(set, PspSettingNames.RoutingPriority, RoutingPriority);
        Add(set, PspSettingNames.ConnectTimeoutMs, ConnectTimeoutMs);
        Add(set, PspSettingNames.RequestTimeoutMs, RequestTimeoutMs);
        Add(set, PspSettingNames.AdapterBudgetTotalMs, AdapterBudgetTotalMs);
        Add(set, PspSettingNames.RetryAttemptsMax, RetryAttemptsMax);
        Add(set, PspSettingNames.BreakerFailureRatio, BreakerFailureRatio);
        Add(set, PspSettingNames.BreakerThroughputMin, BreakerThroughputMin);
        Add(set, PspSettingNames.BreakerSamplingDurationMs, BreakerSamplingDurationMs);
        Add(set, PspSettingNames.BreakerConsecutiveFailures, BreakerConsecutiveFailures);
        Add(set, PspSettingNames.BreakDurationMs, BreakDurationMs);
        Add(set, PspSettingNames.BulkheadConcurrencyMax, BulkheadConcurrencyMax);
        Add(set, PspSettingNames.BulkheadQueueMax, BulkheadQueueMax);
        return set;
    }

    private static void Add(Dictionary<string, double> set, string name, double? value)
    {
        if (value is { } v)
        {
            set[name] = v;
        }
    }
}

public sealed record PspListResponse(string Object, IReadOnlyList<PspResponse> Data);

/// <summary>A PSP: its kill switch, the thresholds an operator overrode (stored), and one silo's health with the thresholds in force there.</summary>
public sealed record PspResponse(string Psp, bool Enabled, DateTimeOffset? UpdatedAt, string? UpdatedBy,
    IReadOnlyDictionary<string, double> Overrides, PspHealthResponse Health)
{
    public static PspResponse From(PspStatus status) =>
        new(status.Psp, status.Enabled, status.UpdatedAt, status.UpdatedBy, status.Overrides, PspHealthResponse.From(status.Health));
}

/// <summary>
/// One silo's view: <see cref="Enabled"/> and <see cref="Settings"/> are what is in force there (configuration with the overrides it
/// has polled); <see cref="HealthResets"/> is how many operator resets of breaker and health window it has applied.
/// </summary>
public sealed record PspHealthResponse(bool Enabled, string BreakerState, double SuccessRate, double LatencyP95Ms, int RecentAttempts,
    long Requests, long Failures, long Retries, long BulkheadRejections, long BreakerRejections, IReadOnlyDictionary<string, double> Settings,
    long HealthResets)
{
    public static PspHealthResponse From(PspHealth health) =>
        new(health.Enabled, health.BreakerState, health.SuccessRate, health.LatencyP95Ms, health.RecentAttempts,
            health.Requests, health.Failures, health.Retries, health.BulkheadRejections, health.BreakerRejections, health.Settings,
            health.HealthResets);
}

public sealed record PspAuditResponse(string Object, IReadOnlyList<PspAuditEntryResponse> Data);

public sealed record PspAuditEntryResponse(long Id, string Psp, string Field, string? OldValue, string NewValue, string ChangedBy, DateTimeOffset ChangedAt)
{
    public static PspAuditEntryResponse From(PspAuditEntry entry) =>
        new(entry.Id, entry.Psp, entry.Field, entry.OldValue, entry.NewValue, entry.ChangedBy, entry.ChangedAt);
}
