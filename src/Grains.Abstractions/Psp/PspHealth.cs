namespace Payments.Actors.Psp;

/// <summary>
/// One silo's live view of one PSP connector: breaker, recent success rate and latency, bulkhead, and the
/// thresholds in force on that silo (<see cref="PspSettingNames.Thresholds"/>: configuration with operator overrides),
/// and how many of the operators' health resets it has applied (<see cref="HealthResets"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspHealth")]
public sealed record PspHealth(
    [property: Id(0)] string Psp,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] string BreakerState,
    [property: Id(3)] double SuccessRate,
    [property: Id(4)] double LatencyP95Ms,
    [property: Id(5)] int RecentAttempts,
    [property: Id(6)] long Requests,
    [property: Id(7)] long Failures,
    [property: Id(8)] long Retries,
    [property: Id(9)] long BulkheadRejections,
    [property: Id(10)] long BreakerRejections,
    [property: Id(11)] IReadOnlyDictionary<string, double> Settings,
    [property: Id(12)] long HealthResets = 0);
