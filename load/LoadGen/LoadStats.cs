using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Payments.Actors.LoadGen;

/// <summary>One second of the run, as charted and written to the results file.</summary>
public sealed record TimelinePoint(double Second, long Ok, long Errors, double P50Ms, double P95Ms, double P99Ms, double MaxMs, int Active);

/// <summary>
/// Latencies in microseconds in an HdrHistogram recorder (lock-free writes, interval reads), counts by status and
/// by payment state, and a per-second timeline. Only the measurement window feeds the summary histogram.
/// </summary>
public sealed class LoadStats
{
    private const long LatencyMaxMicros = 120_000_000;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(LatencyMaxMicros).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly List<TimelinePoint> _timeline = [];
    private HistogramBase? _interval;
    private long _ok;
    private long _errors;
    private long _lastOk;
    private long _lastErrors;
    private long _dropped;

    public LongHistogram Window { get; } = new(LatencyMaxMicros, 3);
    public LongHistogram All { get; } = new(LatencyMaxMicros, 3);
    public ConcurrentDictionary<string, long> Statuses { get; } = new();
    public ConcurrentDictionary<string, long> States { get; } = new();
    public long WindowOk { get; private set; }
    public long WindowErrors { get; private set; }
    public long Ok => Interlocked.Read(ref _ok);
    public long Errors => Interlocked.Read(ref _errors);
    public long Dropped => Interlocked.Read(ref _dropped);
    public IReadOnlyList<TimelinePoint> Timeline => _timeline;
    public TimelinePoint? Last => _timeline.Count > 0 ? _timeline[^1] : null;

    public void Record(long startTimestamp, string status, string? state, bool ok)
    {
        var micros = (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        _recorder.RecordValue(Math.Clamp(micros, 1, LatencyMaxMicros));
        Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (state is not null)
        {
            States.AddOrUpdate(state, 1, (_, n) => n + 1);
        }

        Interlocked.Increment(ref ok ? ref _ok : ref _errors);
    }

    /// <summary>The open model could not send on time because its in-flight bound was reached.</summary>
    public void RecordDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Closes one second: called by the single sampling loop only.</summary>
    public void Sample(double second, bool inWindow, int active)
    {
        _interval = _recorder.GetIntervalHistogram(_interval);
        All.Add(_interval);
        var ok = Ok;
        var errors = Errors;
        var okDelta = ok - _lastOk;
        var errorDelta = errors - _lastErrors;
        _lastOk = ok;
        _lastErrors = errors;
        if (inWindow)
        {
            Window.Add(_interval);
            WindowOk += okDelta;
            WindowErrors += errorDelta;
        }

        _timeline.Add(new TimelinePoint(Math.Round(second, 2), okDelta, errorDelta,
            Ms(_interval, 50), Ms(_interval, 95), Ms(_interval, 99), _interval.TotalCount == 0 ? 0 : _interval.GetMaxValue() / 1000.0, active));
    }

    public static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : Math.Round(histogram.GetValueAtPercentile(percentile) / 1000.0, 2);
}
