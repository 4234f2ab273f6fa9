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
                _ => throw new ArgumentException($"Unknown option {name}. See load/README.md."),
            };
        }

        options.Validate();
        return options;
    }

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
