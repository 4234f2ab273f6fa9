using System.Globalization;
using System.Net;

namespace Payments.Actors.LoadGen;

public enum LoadModel
{
    Closed,
    Open,
}

/// <summary>Command-line settings of one run. Every knob has a hard ceiling: this tool must not turn into a flood.</summary>
public sealed record LoadOptions
{
    public const int VirtualUsersMax = 5000;
    public const int ArrivalRateMax = 50_000;
    public const int InFlightMax = 20_000;
    public static readonly TimeSpan RunDurationMax = TimeSpan.FromMinutes(15);

    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:8080");
    public LoadModel Model { get; init; } = LoadModel.Closed;
    public int VirtualUsers { get; init; } = 400;
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(60);
    public int ArrivalRate { get; init; } = 500;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public int InFlightLimit { get; init; } = 4000;
    public TimeSpan ThinkTime { get; init; } = TimeSpan.Zero;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public string ClientId { get; init; } = "merchant-a";
    public string? ClientSecret { get; init; }
    public string Scope { get; init; } = "payments:write";
    public string? OutputDirectory { get; init; }
    public string Label { get; init; } = "payments";
    public bool Plain { get; init; }
    public SloGates Gates { get; init; } = new();

    /// <summary>Total wall time of the load phase (the measurement window is its tail).</summary>
    public TimeSpan Duration => Model == LoadModel.Closed ? Ramp + Hold : Warmup + Hold;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--url" => options with { BaseUrl = new Uri(Next()) },
                "--model" => options with { Model = Enum.Parse<LoadModel>(Next(), ignoreCase: true) },
                "--vus" => options with { VirtualUsers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--ramp" => options with { Ramp = Seconds(Next()) },
                "--hold" or "--duration" => options with { Hold = Seconds(Next()) },
                "--rate" => options with { ArrivalRate = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = Seconds(Next()) },
                "--max-inflight" => options with { InFlightLimit = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--think-ms" => options with { ThinkTime = TimeSpan.FromMilliseconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--timeout" => options with { RequestTimeout = Seconds(Next()) },
                "--client-id" => options with { ClientId = Next() },
                "--client-secret" => options with { ClientSecret = Next() },
                "--scope" => options with { Scope = Next() },
                "--out" => options with { OutputDirectory = Next() },
                "--label" => options with { Label = Next() },
                "--plain" => options with { Plain = true },
                "--slo-p95-ms" => options with { Gates = options.Gates with { P95MsMax = Number(name, Next()) } },
                "--slo-p99-ms" => options with { Gates = options.Gates with { P99MsMax = Number(name, Next()) } },
                "--slo-error-rate" => options with { Gates = options.Gates with { ErrorRateMax = SloGates.ParseRate(Next()) } },
                "--slo-min-rps" => options with { Gates = options.Gates with { OkPerSecondMin = Number(name, Next()) } },
                _ => throw new ArgumentException($"Unknown option {name}. --help lists them."),
            };
        }

        options.Validate();
        return options;
    }

    /// <summary>What --help prints: every option, its default, and the exit codes.</summary>
    public const string Usage = """
        Payments.Actors LoadGen: create+capture payments against this machine's platform and summarise
        the measurement window (load/README.md).

        Usage:
          Payments.Actors.LoadGen [run] [options]        a load run
          Payments.Actors.LoadGen serve-empty [--url U]  an empty Kestrel endpoint (default http://127.0.0.1:8085)
          Payments.Actors.LoadGen chart <results.json>   draw a run's chart again from its results file
          Payments.Actors.LoadGen --help                 this text

        Options of a run (durations in seconds; a trailing "s" is accepted), [default]:
          --url URL              target, loopback only (127.0.0.1, ::1, localhost) [http://127.0.0.1:8080]
          --model closed|open    closed: N users in a loop; open: a fixed arrival rate [closed]
          --vus N                closed: users; open: users whose tokens arrivals share [400; max 5000]
          --ramp S               closed: seconds over which users join [10]
          --hold S, --duration S the measured window after the ramp or warm-up [60]
          --rate N               open: arrivals per second [500; max 50000]
          --warmup S             open: seconds excluded from the summary [5]
          --max-inflight N       open: arrivals beyond this many in flight are dropped [4000; max 20000]
          --think-ms N           closed: pause between a user's requests [0]
          --timeout S            per request; a timeout counts as an error [10; max 60]
          --client-id ID         OAuth2 client [merchant-a]
          --client-secret S      its secret [<CLIENT_ID>_CLIENT_SECRET, else .data/secrets.env]
          --scope S              scope requested [payments:write]
          --label L              part of the results file names [payments]
          --out DIR              results folder [load/results]
          --plain                a progress line every 5 s instead of the live table
        A run is at most 15 minutes (ramp or warm-up plus hold).

        SLO gates, checked against the measurement window when given (none by default):
          --slo-p95-ms MS        p95 latency at most MS
          --slo-p99-ms MS        p99 latency at most MS
          --slo-error-rate R     error rate at most R, a fraction (0.001) or a percentage (0.1%)
          --slo-min-rps N        at least N successful payments (201/202) per second
        A window without one answered request fails every gate.

        Exit codes: 0 done (every gate met), 1 could not run (token, connection), 2 bad arguments,
        3 a gate missed (each gate is printed PASS or FAIL).
        """;

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= 0
            ? number
            : throw new ArgumentException($"{name} must be a non-negative number, not {value}.");

    private static TimeSpan Seconds(string value) =>
        TimeSpan.FromSeconds(double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));

    private void Validate()
    {
        // Loopback only: this is a tool for measuring one's own machine, never someone else's service.
        var loopback = BaseUrl.IsLoopback || (IPAddress.TryParse(BaseUrl.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        Require(loopback, $"--url must point at this machine (127.0.0.1, ::1 or localhost), not {BaseUrl.Host}.");
        Require(VirtualUsers is >= 1 and <= VirtualUsersMax, $"--vus must be 1..{VirtualUsersMax}.");
        Require(ArrivalRate is >= 1 and <= ArrivalRateMax, $"--rate must be 1..{ArrivalRateMax}.");
        Require(InFlightLimit is >= 1 and <= InFlightMax, $"--max-inflight must be 1..{InFlightMax}.");
        Require(Ramp >= TimeSpan.Zero && Hold > TimeSpan.Zero && Warmup >= TimeSpan.Zero, "--ramp, --warmup >= 0 and --hold > 0.");
        Require(Duration <= RunDurationMax, $"a run is at most {RunDurationMax.TotalMinutes} minutes.");
        Require(RequestTimeout > TimeSpan.Zero && RequestTimeout <= TimeSpan.FromMinutes(1), "--timeout must be 0..60 s.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
