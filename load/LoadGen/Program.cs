using HdrHistogram;
using Payments.Actors.LoadGen;

// Load generator for Payments.Actors (load/README.md): closed or open model against this machine's platform.
//   dotnet run -c Release --project load/LoadGen -- --model closed --vus 400 --ramp 10 --hold 60
//   dotnet run -c Release --project load/LoadGen -- serve-empty --url http://127.0.0.1:8085
//   dotnet run -c Release --project load/LoadGen -- chart load/results/<run>.json
//   dotnet run -c Release --project load/LoadGen -- --help
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

if (args.Length > 0 && args[0] == "serve-empty")
{
    await EmptyServer.RunAsync(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "chart")
{
    return await ChartAsync(args[1..]);
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args.Length > 0 && args[0] == "run" ? args[1..] : args);
    options = options with { ClientSecret = options.ClientSecret ?? TokenClient.FindSecret(options.ClientId) };
    if (options.ClientSecret is null)
    {
        throw new ArgumentException($"No client secret for {options.ClientId}: pass --client-secret or run deploy/run.sh first (.data/secrets.env).");
    }
}
catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
{
    // A malformed number or URL is a usage error like an unknown option, not a crash.
    await Console.Error.WriteLineAsync(exception.Message);
    await Console.Error.WriteLineAsync("Usage: --help");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    UseProxy = false,
    UseCookies = false,
    ConnectTimeout = TimeSpan.FromSeconds(5),
};
using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
var stats = new LoadStats();
var runner = new LoadRunner(http, options, stats);
var startedAt = DateTimeOffset.UtcNow;
var display = new LiveDisplay(options, stats, runner);

try
{
    await display.RunAsync(onSecond => runner.RunAsync(onSecond, cancel.Token));
}
catch (InvalidOperationException exception) when (exception.Message.StartsWith("Token request failed", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 1;
}
catch (HttpRequestException exception)
{
    await Console.Error.WriteLineAsync($"Cannot reach {options.BaseUrl}: {exception.Message}. Is the platform running (bash deploy/run.sh)?");
    return 1;
}

var windowStart = options.Model == LoadModel.Closed ? options.Ramp.TotalSeconds : options.Warmup.TotalSeconds;
var windowSeconds = stats.Timeline.Count(p => p.Second - 1 >= windowStart - 0.05 && p.Second <= options.Duration.TotalSeconds + 0.2);
var result = new RunResult(
    options.Label, options.Model.ToString().ToLowerInvariant(), options.BaseUrl.ToString(), options.VirtualUsers,
    options.Model == LoadModel.Open ? options.ArrivalRate : null,
    options.Ramp.TotalSeconds, options.Warmup.TotalSeconds, options.Hold.TotalSeconds, startedAt, Environment.MachineName, Environment.ProcessorCount,
    Summary(stats.Window, stats.WindowOk, stats.WindowErrors, windowSeconds),
    Summary(stats.All, stats.Ok, stats.Errors, stats.Timeline.Count == 0 ? 0 : stats.Timeline[^1].Second),
    stats.Dropped,
    new SortedDictionary<string, long>(stats.Statuses), new SortedDictionary<string, long>(stats.States), stats.Timeline);

var directory = options.OutputDirectory ?? Path.Combine(RepoPaths.Root ?? Directory.GetCurrentDirectory(), "load", "results");
Directory.CreateDirectory(directory);
var stem = Path.Combine(directory, $"{startedAt:yyyyMMdd-HHmmss}-{options.Label}-{result.Model}");
await File.WriteAllTextAsync(stem + ".json", System.Text.Json.JsonSerializer.Serialize(result, RunResult.Json));
ResultsChart.Write(stem + ".png", result);
LiveDisplay.PrintSummary(result, stem);
if (!options.Gates.Any)
{
    return 0;
}

var window = result.Window;
var verdicts = options.Gates.Evaluate(window.Ok, window.Errors, window.Latency.P95Ms, window.Latency.P99Ms, window.OkPerSecond);
foreach (var verdict in verdicts)
{
    Console.WriteLine(verdict);
}

if (verdicts.All(v => v.Passed))
{
    return 0;
}

await Console.Error.WriteLineAsync($"SLO missed: {string.Join(", ", verdicts.Where(v => !v.Passed).Select(v => v.Option))}");
return SloGates.MissedExitCode;

// Draws the chart of an earlier run again from its results file, beside it.
static async Task<int> ChartAsync(string[] paths)
{
    if (paths.Length != 1 || !File.Exists(paths[0]))
    {
        await Console.Error.WriteLineAsync("Usage: chart <results.json> (a results file this tool wrote).");
        return 2;
    }

    await using var file = File.OpenRead(paths[0]);
    var result = await System.Text.Json.JsonSerializer.DeserializeAsync<RunResult>(file, RunResult.Json)
        ?? throw new InvalidDataException($"{paths[0]} holds no run.");
    var png = Path.ChangeExtension(paths[0], ".png");
    ResultsChart.Write(png, result);
    Console.WriteLine(png);
    return 0;
}

static RunSummary Summary(HistogramBase histogram, long ok, long errors, double seconds) => new(
    Math.Round(seconds, 2), ok, errors,
    seconds > 0 ? Math.Round(ok / seconds, 1) : 0,
    ok + errors > 0 ? Math.Round((double)errors / (ok + errors), 6) : 0,
    new LatencySummary(
        LoadStats.Ms(histogram, 50), LoadStats.Ms(histogram, 90), LoadStats.Ms(histogram, 95), LoadStats.Ms(histogram, 99),
        LoadStats.Ms(histogram, 99.9), histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1000.0,
        histogram.TotalCount == 0 ? 0 : Math.Round(histogram.GetMean() / 1000.0, 2)));
