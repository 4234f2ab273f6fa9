using System.Globalization;

namespace Payments.Actors.LoadGen;

/// <summary>
/// Service-level gates a run must meet for the tool to exit 0, so a CI job or a script can fail on a
/// regression instead of someone reading the summary. A gate left null is not checked. Depends on
/// nothing but the BCL so the unit tests can compile it on its own.
/// </summary>
public sealed record SloGates(double? P95MsMax = null, double? P99MsMax = null, double? ErrorRateMax = null, double? OkPerSecondMin = null)
{
    /// <summary>The exit code of a run that missed a gate; 1 (could not run) and 2 (bad arguments) are taken.</summary>
    public const int MissedExitCode = 3;

    public bool Any => P95MsMax is not null || P99MsMax is not null || ErrorRateMax is not null || OkPerSecondMin is not null;

    /// <summary>
    /// Every configured gate against the measurement window. A window without a single answered request
    /// fails every gate: its zero latency and zero error rate would otherwise pass vacuously.
    /// </summary>
    public IReadOnlyList<SloGateResult> Evaluate(long ok, long errors, double p95Ms, double p99Ms, double okPerSecond)
    {
        var answered = ok + errors;
        var measuredAnything = answered > 0;
        var errorRate = measuredAnything ? (double)errors / answered : 0;
        var results = new List<SloGateResult>();
        if (P95MsMax is { } p95Max)
        {
            results.Add(new("--slo-p95-ms", $"p95 <= {Ms(p95Max)}", measuredAnything ? $"p95 {Ms(p95Ms)}" : "no requests", measuredAnything && p95Ms <= p95Max));
        }

        if (P99MsMax is { } p99Max)
        {
            results.Add(new("--slo-p99-ms", $"p99 <= {Ms(p99Max)}", measuredAnything ? $"p99 {Ms(p99Ms)}" : "no requests", measuredAnything && p99Ms <= p99Max));
        }

        if (ErrorRateMax is { } errorRateMax)
        {
            results.Add(new("--slo-error-rate", $"error rate <= {Percent(errorRateMax)}",
                measuredAnything ? $"{Percent(errorRate)} ({errors} of {answered})" : "no requests", measuredAnything && errorRate <= errorRateMax));
        }

        if (OkPerSecondMin is { } okPerSecondMin)
        {
            results.Add(new("--slo-min-rps", $"ok/s >= {okPerSecondMin.ToString("0.#", CultureInfo.InvariantCulture)}",
                $"{okPerSecond.ToString("0.#", CultureInfo.InvariantCulture)} ok/s", measuredAnything && okPerSecond >= okPerSecondMin));
        }

        return results;
    }

    /// <summary>An error-rate threshold as a fraction (0.001) or a percentage (0.1%).</summary>
    public static double ParseRate(string value)
    {
        var percent = value.EndsWith('%');
        var number = double.Parse(percent ? value[..^1] : value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var rate = percent ? number / 100 : number;
        return rate is >= 0 and <= 1 && double.IsFinite(rate)
            ? rate
            : throw new ArgumentException($"--slo-error-rate must be a fraction 0..1 or a percentage 0%..100%, not {value}.");
    }

    private static string Ms(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double value) => value.ToString("0.###%", CultureInfo.InvariantCulture);
}
