namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// A provider's answer to one command. <c>Recorded</c> answers are kept for idempotent replay and
/// status inquiry; unrecorded ones (processing errors, malformed input) leave no trace, so a retry
/// with the same key executes again. <c>Delay</c> is applied after recording and before answering.
/// </summary>
internal readonly record struct ProviderReply(int StatusCode, byte[] Body, bool Recorded, TimeSpan Delay)
{
    public static ProviderReply Decided(int statusCode, byte[] body, TimeSpan delay = default) =>
        new(statusCode, body, Recorded: true, delay);

    public static ProviderReply Unrecorded(int statusCode, byte[] body) =>
        new(statusCode, body, Recorded: false, TimeSpan.Zero);
}
