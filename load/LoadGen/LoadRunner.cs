using System.Diagnostics;

namespace Payments.Actors.LoadGen;

/// <summary>Drives the scenario in the closed model (N users in a loop) or the open model (a fixed arrival rate).</summary>
public sealed class LoadRunner(HttpClient http, LoadOptions options, LoadStats stats)
{
    private readonly PaymentScenario _scenario = new(http, options, stats);
    private int _active;

    public int Active => Volatile.Read(ref _active);

    private string[] _tokens = [];

    public async Task RunAsync(Action<TimeSpan, string> onSecond, CancellationToken cancellationToken)
    {
        if (options.Model == LoadModel.Open)
        {
            // The open model still authenticates per user: --vus users take a token each, arrivals use them in turn.
            // Taken before the clock starts, so the arrival rate is exact from the first second.
            _tokens = new string[options.VirtualUsers];
            await Parallel.ForAsync(0, _tokens.Length, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (user, ct) => _tokens[user] = await TokenClient.FetchAsync(http, options, ct));
        }

        var start = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var load = options.Model == LoadModel.Closed ? RunClosedAsync(start, stop.Token) : RunOpenAsync(stop.Token);
        var windowStart = options.Model == LoadModel.Closed ? options.Ramp : options.Warmup;

        // One sampler closes each second; the load tasks only record.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            var phase = elapsed < windowStart ? (options.Model == LoadModel.Closed ? "ramp" : "warmup") : elapsed < options.Duration ? "hold" : "drain";
            // A second belongs to the window when it ended inside it (so a partial first second is excluded).
            var inWindow = elapsed - TimeSpan.FromSeconds(1) >= windowStart - TimeSpan.FromMilliseconds(50) && elapsed <= options.Duration + TimeSpan.FromMilliseconds(200);
            stats.Sample(elapsed.TotalSeconds, inWindow, Active);
            onSecond(elapsed, phase);
            if (load.IsCompleted)
            {
                break;
            }

            if (elapsed > options.Duration + options.RequestTimeout + TimeSpan.FromSeconds(2))
            {
                await stop.CancelAsync();
            }
        }

        await load;
    }

    private async Task RunClosedAsync(long start, CancellationToken cancellationToken)
    {
        var users = new Task[options.VirtualUsers];
        for (var user = 0; user < users.Length; user++)
        {
            users[user] = RunUserAsync(user, start, cancellationToken);
        }

        await Task.WhenAll(users);
    }

    private async Task RunUserAsync(int user, long start, CancellationToken cancellationToken)
    {
        // Users join evenly over the ramp, each with its own token, as k6's ramping-vus executor does.
        var joinAt = options.Ramp * user / options.VirtualUsers;
        var wait = joinAt - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var token = await TokenClient.FetchAsync(http, options, cancellationToken);
        Interlocked.Increment(ref _active);
        try
        {
            for (long sequence = 0; Stopwatch.GetElapsedTime(start) < options.Duration && !cancellationToken.IsCancellationRequested; sequence++)
            {
                await _scenario.SendAsync(token, user, sequence, PaymentScenario.Now(), cancellationToken);
                if (options.ThinkTime > TimeSpan.Zero)
                {
                    await Task.Delay(options.ThinkTime, cancellationToken);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task RunOpenAsync(CancellationToken cancellationToken)
    {
        var tokens = _tokens;
        var inFlight = new List<Task>();
        var begin = Stopwatch.GetTimestamp();
        var ticksPerArrival = (double)Stopwatch.Frequency / options.ArrivalRate;
        long sent = 0;
        var total = (long)(options.Duration.TotalSeconds * options.ArrivalRate);
        while (sent < total && !cancellationToken.IsCancellationRequested)
        {
            var due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(begin).TotalSeconds * options.ArrivalRate) + 1);
            for (; sent < due; sent++)
            {
                // Latency counts from when the request was due, not when it went out (no coordinated omission).
                var scheduled = begin + (long)(sent * ticksPerArrival);
                if (Active >= options.InFlightLimit)
                {
                    stats.RecordDropped();
                    continue;
                }

                inFlight.Add(SendTrackedAsync(tokens[sent % tokens.Length], (int)(sent % tokens.Length), sent, scheduled, cancellationToken));
            }

            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(task => task.IsCompleted);
            }

            await Task.Delay(1, CancellationToken.None);
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendTrackedAsync(string token, int user, long sequence, long scheduled, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _active);
        try
        {
            await _scenario.SendAsync(token, user, sequence, scheduled, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }
}
