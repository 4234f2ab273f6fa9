namespace Payments.Actors.PspSimulator.Admin;

/// <summary><c>POST /admin/webhooks/{provider}/flush</c>: how many held copies were released (newest first).</summary>
internal sealed record WebhookFlushResult(string Provider, int Released);
