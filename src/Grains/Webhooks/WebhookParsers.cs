using System.Text.Json;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// What a body says, or why it cannot be read. An unreadable body is still a notification we hold (its signature was
/// good), so it gets an event id all the same: <c>sha256:&lt;hex of the body&gt;</c>, the same for every re-delivery of it.
/// </summary>
public sealed record WebhookParse(PspNotification? Notification, string ProviderEventId, string? Error);

/// <summary>The parser of each provider (pure functions of the body, docs/psp-webhooks.md).</summary>
public static class WebhookParsers
{
    public const string UnparseableEventIdPrefix = "sha256:";

    private const int ErrorLengthMax = 300;

    public static WebhookParse Parse(string provider, byte[] body, Guid notificationId, string bodySha256)
    {
        try
        {
            var notification = provider switch
            {
                WebhookProviders.PspA => PspAWebhookParser.Parse(body, notificationId),
                WebhookProviders.PspB => PspBWebhookParser.Parse(body, notificationId),
                WebhookProviders.Bank => BankWebhookParser.Parse(body, notificationId),
                _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a webhook provider"),
            };
            return new WebhookParse(notification, notification.ProviderEventId, null);
        }
        catch (Exception exception) when (exception is WebhookParseException or JsonException or InvalidOperationException or FormatException)
        {
            var reason = exception is WebhookParseException ? exception.Message : $"not valid JSON ({exception.GetType().Name}: {exception.Message})";
            return new WebhookParse(null, UnparseableEventIdPrefix + bodySha256, Clean(reason));
        }
    }

    /// <summary>No control characters (PostgreSQL refuses NUL in text) and a bounded length.</summary>
    private static string Clean(string reason)
    {
        var printable = new string([.. reason.Where(c => !char.IsControl(c))]);
        return printable.Length <= ErrorLengthMax ? printable : printable[..ErrorLengthMax];
    }
}
