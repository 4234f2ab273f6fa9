namespace Payments.Actors.Psp;

/// <summary>
/// The wire names of a PSP's runtime-tunable settings: the operator API's fields, the keys of the
/// stored overrides, the audit trail's <c>field</c> and the effective settings in health. Durations
/// are whole milliseconds; <see cref="BreakerFailureRatio"/> is a fraction; the rest are counts.
/// </summary>
public static class PspSettingNames
{
    public const string Enabled = "enabled";

    /// <summary>The audit trail's field for an operator's reset of the breaker and health window (values: the reset count).</summary>
    public const string HealthReset = "health_reset";
    public const string RoutingPriority = "routing_priority";
    public const string ConnectTimeoutMs = "connect_timeout_ms";
    public const string RequestTimeoutMs = "request_timeout_ms";
    public const string AdapterBudgetTotalMs = "adapter_budget_total_ms";
    public const string RetryAttemptsMax = "retry_attempts_max";
    public const string BreakerFailureRatio = "breaker_failure_ratio";
    public const string BreakerThroughputMin = "breaker_throughput_min";
    public const string BreakerSamplingDurationMs = "breaker_sampling_duration_ms";
    public const string BreakerConsecutiveFailures = "breaker_consecutive_failures";
    public const string BreakDurationMs = "break_duration_ms";
    public const string BulkheadConcurrencyMax = "bulkhead_concurrency_max";
    public const string BulkheadQueueMax = "bulkhead_queue_max";

    /// <summary>Every tunable threshold (everything but <see cref="Enabled"/>), in a stable order.</summary>
    public static readonly IReadOnlyList<string> Thresholds =
    [
        RoutingPriority, ConnectTimeoutMs, RequestTimeoutMs, AdapterBudgetTotalMs, RetryAttemptsMax, BreakerFailureRatio, BreakerThroughputMin,
        BreakerSamplingDurationMs, BreakerConsecutiveFailures, BreakDurationMs, BulkheadConcurrencyMax, BulkheadQueueMax,
    ];
}
