namespace Payments.Actors.Grains.Psp;

/// <summary>
/// The most recent attempts to one PSP (bounded ring), for routing by success rate and p95 latency.
/// Thread-safe: the adapter's calls interleave.
/// </summary>
public sealed class PspHealthWindow(int capacity = PspHealthWindow.CapacityDefault)
{
    public const int CapacityDefault = 256;

    private readonly Lock _gate = new();
    private readonly (DateTimeOffset At, double LatencyMs, bool Success)[] _ring = new (DateTimeOffset, double, bool)[capacity];
    private int _next;
    private int _count;

    public void Record(DateTimeOffset at, double latencyMs, bool success)
    {
        lock (_gate)
        {
            _ring[_next] = (at, latencyMs, success);
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Forgets every attempt (an operator's reset).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _next = 0;
            _count = 0;
        }
    }

    /// <summary>Success rate (1 when nothing was seen), p95 latency and the number of attempts since <paramref name="since"/>.</summary>
    public (double SuccessRate, double LatencyP95Ms, int Attempts) Summarize(DateTimeOffset since)
    {
        double[] latencies;
        var successes = 0;
        lock (_gate)
        {
            var recent = new List<double>(_count);
            for (var i = 0; i < _count; i++)
            {
                var (at, latency, success) = _ring[i];
                if (at >= since)
                {
                    recent.Add(latency);
                    successes += success ? 1 : 0;
                }
            }

            latencies = [.. recent];
        }

        if (latencies.Length == 0)
        {
            return (1, 0, 0);
        }

        Array.Sort(latencies);
        var p95 = latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(latencies.Length * 0.95) - 1)];
        return ((double)successes / latencies.Length, p95, latencies.Length);
    }
}
