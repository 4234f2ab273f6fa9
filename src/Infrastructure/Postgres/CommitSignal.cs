using System.Threading.Channels;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// Wakes one background worker as soon as a transaction that gave it work commits in this process, so the work starts
/// within a round trip of its commit instead of a poll interval. (Not LISTEN/NOTIFY: PostgreSQL serialises every
/// committing NOTIFY on one global lock, which the hot path cannot afford. Rows written by other processes are found
/// by the worker's poll.) Pulses coalesce: one pending pulse stands for any number of commits.
/// </summary>
public abstract class CommitSignal
{
    private readonly Channel<bool> _pulses = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public void Pulse() => _pulses.Writer.TryWrite(true);

    /// <summary>Completes at the next pulse (one already pending counts) or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_pulses.Reader.TryRead(out _))
        {
            return;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _pulses.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a pulse: look anyway.
        }
    }
}
