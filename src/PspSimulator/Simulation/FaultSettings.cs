namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// Faults injected into one provider at run time (<c>PUT /admin/faults/{provider}</c>). Rates are
/// probabilities per request drawn from <see cref="Random.Shared"/>; <c>FailNext</c> is a deterministic
/// count of the next commands that fail.
/// </summary>
internal sealed record FaultSettings(
    double ErrorRate = 0,
    int ErrorStatus = FaultSettings.ErrorStatusDefault,
    int LatencyMs = 0,
    int LatencyJitterMs = 0,
    double TimeoutRate = 0,
    bool Down = false,
    double DeclineRate = 0,
    int FailNext = 0)
{
    public const int ErrorStatusDefault = 503;
    public const int LatencyMsMax = 120_000;
    public const int FailNextMax = 1_000_000;

    public static FaultSettings None { get; } = new();

    /// <summary>Returns why the settings are invalid, or null when they are valid.</summary>
    public string? FindProblem()
    {
        if (!IsRate(ErrorRate) || !IsRate(TimeoutRate) || !IsRate(DeclineRate))
        {
            return $"error_rate, timeout_rate and decline_rate must be between 0 and 1 (got {ErrorRate}, {TimeoutRate}, {DeclineRate}).";
        }

        if (ErrorStatus is < 500 or > 599)
        {
            return $"error_status must be a 5xx status (got {ErrorStatus}).";
        }

        if (LatencyMs is < 0 or > LatencyMsMax || LatencyJitterMs is < 0 or > LatencyMsMax)
        {
            return $"latency_ms and latency_jitter_ms must be between 0 and {LatencyMsMax} (got {LatencyMs}, {LatencyJitterMs}).";
        }

        if (FailNext is < 0 or > FailNextMax)
        {
            return $"fail_next must be between 0 and {FailNextMax} (got {FailNext}).";
        }

        return null;
    }

    private static bool IsRate(double rate) => rate is >= 0 and <= 1;
}
