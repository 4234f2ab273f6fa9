using System.Globalization;
using Spectre.Console;

namespace Payments.Actors.LoadGen;

/// <summary>Progress while the run goes: a live table on a terminal, one plain line every 5 s otherwise.</summary>
public sealed class LiveDisplay(LoadOptions options, LoadStats stats, LoadRunner runner)
{
    public async Task RunAsync(Func<Action<TimeSpan, string>, Task> run)
    {
        var target = options.Model == LoadModel.Closed ? $"{options.VirtualUsers} VUs" : $"{options.ArrivalRate}/s";
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/] {1} model, {2}, against {3} for {4:0} s",
            Markup.Escape(options.Label), options.Model.ToString().ToLowerInvariant(), target, Markup.Escape(options.BaseUrl.ToString()), options.Duration.TotalSeconds);
        if (options.Plain || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await run((elapsed, phase) =>
            {
                if ((int)Math.Round(elapsed.TotalSeconds) % 5 == 0)
                {
                    Console.WriteLine(Line(elapsed, phase));
                }
            });
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("t", "phase", "active", "ok/s", "err/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "ok", "errors");
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async context =>
        {
            await run((elapsed, phase) =>
            {
                var p = stats.Last!;
                table.Rows.Clear();
                table.AddRow(F(elapsed.TotalSeconds, "0"), phase, runner.Active.ToString(CultureInfo.InvariantCulture), p.Ok.ToString(CultureInfo.InvariantCulture),
                    p.Errors > 0 ? $"[red]{p.Errors}[/]" : "0", F(p.P50Ms), F(p.P95Ms), F(p.P99Ms), F(p.MaxMs),
                    stats.Ok.ToString(CultureInfo.InvariantCulture), stats.Errors.ToString(CultureInfo.InvariantCulture));
                context.Refresh();
            });
        });
    }

    private string Line(TimeSpan elapsed, string phase)
    {
        var p = stats.Last!;
        return string.Create(CultureInfo.InvariantCulture,
            $"t={elapsed.TotalSeconds,5:0}s {phase,-6} active={runner.Active,5} ok/s={p.Ok,6} err/s={p.Errors,4} p50={p.P50Ms,7:0.0}ms p95={p.P95Ms,7:0.0}ms p99={p.P99Ms,7:0.0}ms max={p.MaxMs,7:0.0}ms total ok={stats.Ok} errors={stats.Errors}");
    }

    public static void PrintSummary(RunResult result, string stem)
    {
        var w = result.Window;
        var table = new Table().Border(TableBorder.Rounded).Title("measurement window").AddColumns("metric", "value");
        table.AddRow("window", F(w.WindowSeconds, "0") + " s");
        table.AddRow("ok (201/202)", w.Ok.ToString(CultureInfo.InvariantCulture));
        table.AddRow("ok/s", F(w.OkPerSecond));
        table.AddRow("errors", w.Errors.ToString(CultureInfo.InvariantCulture));
        table.AddRow("error rate", w.ErrorRate.ToString("P3", CultureInfo.InvariantCulture));
        table.AddRow("p50 / p90 / p95 ms", $"{F(w.Latency.P50Ms)} / {F(w.Latency.P90Ms)} / {F(w.Latency.P95Ms)}");
        table.AddRow("p99 / p99.9 / max ms", $"{F(w.Latency.P99Ms)} / {F(w.Latency.P999Ms)} / {F(w.Latency.MaxMs)}");
        table.AddRow("statuses (whole run)", Markup.Escape(string.Join(", ", result.Statuses.Select(s => $"{s.Key}={s.Value}"))));
        table.AddRow("payment states", Markup.Escape(string.Join(", ", result.States.Select(s => $"{s.Key}={s.Value}"))));
        if (result.Dropped > 0)
        {
            table.AddRow("[red]not sent (in-flight bound)[/]", result.Dropped.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("results: [blue]{0}.json[/], chart: [blue]{0}.png[/]", Markup.Escape(stem));
    }

    private static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}
