using Microsoft.Extensions.Logging;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// Every log line the simulator writes. Per-request lines are Debug so a 1000 req/s load test does
/// not pay for them; none carries a body, a card number, a CVC or a secret.
/// </summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Provider {Provider} ready; request signing {Signing}")]
    public static partial void ProviderReady(ILogger logger, string provider, string signing);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Faults for {Provider} set to {Faults}")]
    public static partial void FaultsSet(ILogger logger, string provider, FaultSettings faults);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "All simulated providers reset")]
    public static partial void Reset(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Provider} {Method} {Path} key {IdempotencyKey} answered {StatusCode} (recorded {Recorded}, replay {Replay}, delay {Delay})")]
    public static partial void CommandAnswered(
        ILogger logger, string provider, string method, string path, string idempotencyKey, int statusCode, bool recorded, bool replay, TimeSpan delay);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Provider} is down: aborted {Method} {Path}")]
    public static partial void Aborted(ILogger logger, string provider, string method, string path);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "{Provider} rejected {Method} {Path}: signature {Verdict}")]
    public static partial void SignatureRejected(ILogger logger, string provider, string method, string path, SignatureVerdict verdict);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "{Provider} injected a {StatusCode} into {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string provider, int statusCode, string method, string path);
}
