using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Actors.LoadGen;

public sealed record LatencySummary(double P50Ms, double P90Ms, double P95Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);

public sealed record RunSummary(
    double WindowSeconds,
    long Ok,
    long Errors,
    double OkPerSecond,
    double ErrorRate,
    LatencySummary Latency);

/// <summary>The results file: settings, the measurement-window summary, counts, and the per-second timeline.</summary>
public sealed record RunResult(
    string Label,
    string Model,
    string BaseUrl,
    int VirtualUsers,
    int? ArrivalRate,
    double RampSeconds,
    double WarmupSeconds,
    double HoldSeconds,
    DateTimeOffset StartedAt,
    string Machine,
    int ProcessorCount,
    RunSummary Window,
    RunSummary WholeRun,
    long Dropped,
    IReadOnlyDictionary<string, long> Statuses,
    IReadOnlyDictionary<string, long> States,
    IReadOnlyList<TimelinePoint> Timeline)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
