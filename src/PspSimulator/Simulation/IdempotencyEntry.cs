namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// One idempotency key: the fingerprint of the request that claimed it and, once decided, its reply.
/// Concurrent duplicates await the same outcome, so a key executes at most once.
/// </summary>
internal sealed class IdempotencyEntry(byte[] fingerprint)
{
    private readonly TaskCompletionSource<ProviderReply> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ProviderReply> Outcome => _outcome.Task;

    public bool Matches(ReadOnlySpan<byte> candidate) => candidate.SequenceEqual(fingerprint);

    public bool TryGetRecorded(out ProviderReply reply)
    {
        if (_outcome.Task.IsCompletedSuccessfully && _outcome.Task.Result.Recorded)
        {
            reply = _outcome.Task.Result;
            return true;
        }

        reply = default;
        return false;
    }

    public void Complete(ProviderReply reply) => _outcome.SetResult(reply);

    public void Fail(Exception exception) => _outcome.SetException(exception);
}
