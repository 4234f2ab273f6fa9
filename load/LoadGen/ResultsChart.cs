using System.Globalization;

namespace Payments.Actors.LoadGen;

/// <summary>Throughput (top) and latency percentiles (bottom) per second of the run, as a PNG.</summary>
public static class ResultsChart
{
    private const int ChartWidth = 1100;
    private const int PanelHeight = 270;
    private const int Left = 80;
    private const int Right = 170;
    private const int Top = 50;
    private const int Gap = 60;

    private static readonly Rgb Background = new(255, 255, 255);
    private static readonly Rgb Ink = new(40, 40, 40);
    private static readonly Rgb Grid = new(225, 225, 225);
    private static readonly Rgb Window = new(240, 246, 255);
    private static readonly Rgb OkColor = new(30, 140, 60);
    private static readonly Rgb ErrorColor = new(210, 40, 40);
    private static readonly Rgb P50Color = new(40, 90, 200);
    private static readonly Rgb P95Color = new(230, 140, 20);
    private static readonly Rgb P99Color = new(200, 30, 30);
    private static readonly Rgb MaxColor = new(170, 170, 170);

    public static void Write(string path, string title, IReadOnlyList<TimelinePoint> timeline, double windowStart, double windowEnd)
    {
        var height = Top + PanelHeight + Gap + PanelHeight + 50;
        var canvas = new Canvas(ChartWidth, height, Background);
        canvas.Text(Left, 14, title, Ink, 2);
        var seconds = Math.Max(1, timeline.Count == 0 ? 1 : timeline[^1].Second);

        var throughputTop = Top;
        var latencyTop = Top + PanelHeight + Gap;
        var rpsMax = NiceCeiling(timeline.Count == 0 ? 1 : timeline.Max(p => p.Ok + p.Errors));
        var latencyMax = NiceCeiling(timeline.Count == 0 ? 1 : timeline.Max(p => p.P99Ms));

        Panel(canvas, throughputTop, "THROUGHPUT (REQ/S)", rpsMax, seconds, windowStart, windowEnd);
        Panel(canvas, latencyTop, "LATENCY (MS)", latencyMax, seconds, windowStart, windowEnd);
        Series(canvas, timeline, throughputTop, rpsMax, seconds, p => p.Ok, OkColor);
        Series(canvas, timeline, throughputTop, rpsMax, seconds, p => p.Errors, ErrorColor);
        Series(canvas, timeline, latencyTop, latencyMax, seconds, p => Math.Min(p.MaxMs, latencyMax), MaxColor);
        Series(canvas, timeline, latencyTop, latencyMax, seconds, p => p.P50Ms, P50Color);
        Series(canvas, timeline, latencyTop, latencyMax, seconds, p => p.P95Ms, P95Color);
        Series(canvas, timeline, latencyTop, latencyMax, seconds, p => p.P99Ms, P99Color);

        Legend(canvas, throughputTop + 10, [("OK/S", OkColor), ("ERRORS/S", ErrorColor)]);
        Legend(canvas, latencyTop + 10, [("P50", P50Color), ("P95", P95Color), ("P99", P99Color), ("MAX (CLIPPED)", MaxColor)]);
        canvas.Text(Left + ((ChartWidth - Left - Right) / 2) - 40, height - 22, "TIME (S)", Ink);

        using var file = File.Create(path);
        PngEncoder.Write(file, canvas.Width, canvas.Height, canvas.Pixels);
    }

    private static void Panel(Canvas canvas, int top, string label, double yMax, double seconds, double windowStart, double windowEnd)
    {
        var plotWidth = ChartWidth - Left - Right;
        var x0 = Left + (int)(Math.Clamp(windowStart / seconds, 0, 1) * plotWidth);
        var x1 = Left + (int)(Math.Clamp(windowEnd / seconds, 0, 1) * plotWidth);
        canvas.Fill(x0, top, Math.Max(0, x1 - x0), PanelHeight, Window);
        for (var i = 0; i <= 5; i++)
        {
            var y = top + PanelHeight - (i * PanelHeight / 5);
            canvas.Line(Left, y, Left + plotWidth, y, Grid);
            var value = yMax * i / 5;
            var text = value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture);
            canvas.Text(Left - 8 - PixelFont.Measure(text, 1), y - 3, text, Ink);
        }

        var step = NiceCeiling(seconds / 10);
        for (var s = 0.0; s <= seconds + 0.001; s += step)
        {
            var x = Left + (int)(s / seconds * plotWidth);
            canvas.Line(x, top + PanelHeight, x, top + PanelHeight + 4, Ink);
            var text = s.ToString("0", CultureInfo.InvariantCulture);
            canvas.Text(x - (PixelFont.Measure(text, 1) / 2), top + PanelHeight + 8, text, Ink);
        }

        canvas.Line(Left, top, Left, top + PanelHeight, Ink);
        canvas.Line(Left, top + PanelHeight, Left + plotWidth, top + PanelHeight, Ink);
        canvas.Text(Left, top - 14, label, Ink);
    }

    private static void Series(Canvas canvas, IReadOnlyList<TimelinePoint> timeline, int top, double yMax, double seconds,
        Func<TimelinePoint, double> value, Rgb color)
    {
        var plotWidth = ChartWidth - Left - Right;
        int? lastX = null, lastY = null;
        foreach (var point in timeline)
        {
            var x = Left + (int)(point.Second / seconds * plotWidth);
            var y = top + PanelHeight - (int)(Math.Clamp(value(point) / yMax, 0, 1) * PanelHeight);
            if (lastX is { } px && lastY is { } py)
            {
                canvas.Line(px, py, x, y, color, 2);
            }

            lastX = x;
            lastY = y;
        }
    }

    private static void Legend(Canvas canvas, int top, (string Label, Rgb Color)[] entries)
    {
        var x = ChartWidth - Right + 15;
        foreach (var (label, color) in entries)
        {
            canvas.Fill(x, top, 14, 4, color);
            canvas.Text(x + 20, top - 2, label, Ink);
            top += 16;
        }
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
