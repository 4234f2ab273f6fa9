using System.Globalization;
using ScottPlot;

namespace Payments.Actors.LoadGen;

/// <summary>Throughput (top) and latency percentiles (bottom) per second of the run, as a PNG; the measured window is shaded.</summary>
public static class ResultsChart
{
    private const int ChartWidth = 1100;
    private const int ChartHeight = 700;

    // Fixed margins, so that both panels' time axes line up whatever their tick labels and legends measure.
    private static readonly PixelPadding Margins = new(left: 80, right: 170, bottom: 50, top: 50);

    private static readonly Color Window = new(240, 246, 255);
    private static readonly Color Grid = new(225, 225, 225);
    private static readonly Color OkColor = new(30, 140, 60);
    private static readonly Color ErrorColor = new(210, 40, 40);
    private static readonly Color P50Color = new(40, 90, 200);
    private static readonly Color P95Color = new(230, 140, 20);
    private static readonly Color P99Color = new(200, 30, 30);
    private static readonly Color MaxColor = new(170, 170, 170);

    /// <summary>Charts a run next to its results file: the title says the load and the window's summary.</summary>
    public static void Write(string path, RunResult result)
    {
        var w = result.Window;
        var load = result.ArrivalRate is { } rate ? $"{rate}/s" : $"{result.VirtualUsers} VUs";
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{result.Label} {result.Model} {load}: {w.OkPerSecond:0} ok/s  p50 {w.Latency.P50Ms:0.#}  p95 {w.Latency.P95Ms:0.#}  p99 {w.Latency.P99Ms:0.#} ms  err {w.ErrorRate:P2}");
        // The measured window follows the ramp (closed model) or the warm-up (open model) and lasts the hold.
        var windowStart = result.Model == "closed" ? result.RampSeconds : result.WarmupSeconds;
        Write(path, title, result.Timeline, windowStart, windowStart + result.HoldSeconds);
    }

    public static void Write(string path, string title, IReadOnlyList<TimelinePoint> timeline, double windowStart, double windowEnd)
    {
        var seconds = Math.Max(1, timeline.Count == 0 ? 1 : timeline[^1].Second);
        var rpsMax = NiceCeiling(timeline.Count == 0 ? 1 : timeline.Max(p => p.Ok + p.Errors));
        var latencyMax = NiceCeiling(timeline.Count == 0 ? 1 : timeline.Max(p => p.P99Ms));

        var throughput = Panel("Throughput (req/s)", rpsMax, seconds, windowStart, windowEnd);
        throughput.Title(title, size: 16);
        Series(throughput, timeline, p => p.Ok, "ok/s", OkColor);
        Series(throughput, timeline, p => p.Errors, "errors/s", ErrorColor);

        var latency = Panel("Latency (ms)", latencyMax, seconds, windowStart, windowEnd);
        latency.XLabel("Time (s)", size: 14);
        // The max is drawn first, under the percentiles, and clipped to the axis that the p99 sets.
        Series(latency, timeline, p => Math.Min(p.MaxMs, latencyMax), "max (clipped)", MaxColor);
        Series(latency, timeline, p => p.P50Ms, "p50", P50Color);
        Series(latency, timeline, p => p.P95Ms, "p95", P95Color);
        Series(latency, timeline, p => p.P99Ms, "p99", P99Color);

        var chart = new Multiplot();
        chart.Reset(throughput);
        chart.AddPlot(latency);
        chart.SavePng(path, ChartWidth, ChartHeight);
    }

    private static Plot Panel(string label, double yMax, double seconds, double windowStart, double windowEnd)
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Layout.Fixed(Margins);
        plot.YLabel(label, size: 14);
        plot.Grid.MajorLineColor = Grid;
        var window = plot.Add.HorizontalSpan(Math.Clamp(windowStart, 0, seconds), Math.Clamp(windowEnd, 0, seconds));
        window.FillStyle.Color = Window;
        window.LineStyle.Width = 0;
        plot.Axes.SetLimits(0, seconds, 0, yMax);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void Series(Plot plot, IReadOnlyList<TimelinePoint> timeline, Func<TimelinePoint, double> value, string label, Color color)
    {
        var line = plot.Add.ScatterLine(timeline.Select(p => p.Second).ToArray(), timeline.Select(value).ToArray(), color);
        line.LineWidth = 2;
        line.LegendText = label;
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (factor * magnitude >= value)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }
}
