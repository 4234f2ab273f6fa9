using Microsoft.Extensions.Logging;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// Every log line the simulator writes. Per-request lines are Debug so a 1000 req/s load test does
/// not pay for them; none carries a body, a card number, a CVC or a secret.
/// </summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Provider {Provider} ready; request signing {Signing}; webhooks to {Webhooks}")]
    public static partial void ProviderReady(ILogger logger, string provider, string signing, string webhooks);

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

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Webhook faults for {Provider} set to {Faults}")]
    public static partial void WebhookFaultsSet(ILogger logger, string provider, Webhooks.WebhookFaultSettings faults);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "{Provider} webhook {NotificationId} ({Type}) copy {Copy} attempt {Attempt}: status {Status}, error {Error}")]
    public static partial void WebhookAttempted(
        ILogger logger, string provider, string notificationId, string type, int copy, int attempt, int? status, string? error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Provider} gave up webhook {NotificationId} after {Attempts} attempts")]
    public static partial void WebhookGivenUp(ILogger logger, string provider, string notificationId, int attempts);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "{Provider} webhook queue is full ({Capacity} copies): new notifications are dropped")]
    public static partial void WebhookQueueFull(ILogger logger, string provider, int capacity);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "{Provider} failed to send webhook {NotificationId}")]
    public static partial void WebhookSendFailed(ILogger logger, Exception exception, string provider, string notificationId);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "{Provider} scheduled work failed")]
    public static partial void ScheduledWorkFailed(ILogger logger, Exception exception, string provider);
}
