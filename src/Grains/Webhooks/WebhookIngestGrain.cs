using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Payments.Actors.Infrastructure.Blobs;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// Store then acknowledge (docs/psp-webhooks.md). The raw body goes to the blob store first, under a content-addressed
/// key, and is durable before anything names it; then one transaction writes the dedupe key, the <c>webhooks_in</c> row
/// and its outbox event. A failure anywhere answers <see cref="WebhookIngestOutcome.StoreUnavailable"/> and the provider
/// retries: a blob without a row is harmless (the retry writes the same key), a row without its blob cannot happen.
/// Stateless: any silo, as many activations as the load needs; the database's unique key settles races.
/// </summary>
[StatelessWorker]
public sealed partial class WebhookIngestGrain(IBlobStore blobs, WebhookStore store, TimeProvider time, ILogger<WebhookIngestGrain> logger)
    : Grain, IWebhookIngestGrain
{
    public async Task<WebhookIngestResult> IngestAsync(WebhookDelivery delivery)
    {
        Invariant.Assert(WebhookProviders.IsKnown(delivery.Provider), $"'{delivery.Provider}' is not a webhook provider.");
        var receivedAt = time.GetUtcNow();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(delivery.Body));
        var notificationId = UuidV7.New(receivedAt);
        var parse = WebhookParsers.Parse(delivery.Provider, delivery.Body, notificationId, sha256);
        var stored = new StoredNotification(notificationId, delivery.Provider, parse.ProviderEventId, parse.Notification, parse.Error,
            BlobKeyOf(delivery.Provider, receivedAt, sha256), sha256, delivery.Body.Length, receivedAt);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // A re-delivery of what we hold costs one indexed read: no blob write, no transaction.
            if (await store.FindAsync(stored.Provider, stored.ProviderEventId) is { } existing)
            {
                return Duplicate(stored, existing);
            }
        }
        catch (Exception exception)
        {
            return Unavailable(stored, "database", exception);
        }

        try
        {
            await blobs.PutAsync(stored.BlobKey, delivery.Body);
        }
        catch (Exception exception)
        {
            return Unavailable(stored, "blob store", exception);
        }

        try
        {
            if (await store.InsertAsync(stored) == WriteOutcome.Conflict)
            {
                // A concurrent delivery of the same event committed first.
                var first = await store.FindAsync(stored.Provider, stored.ProviderEventId)
                    ?? throw new InvalidOperationException($"{stored.Provider} event {stored.ProviderEventId} conflicted but has no key row.");
                return Duplicate(stored, first);
            }
        }
        catch (Exception exception)
        {
            return Unavailable(stored, "database", exception);
        }

        if (parse.Error is not null)
        {
            LogUnparseable(logger, stored.Provider, notificationId, stored.ProviderEventId, parse.Error);
        }
        else
        {
            LogStored(logger, stored.Provider, stored.ProviderEventId, notificationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new WebhookIngestResult(WebhookIngestOutcome.Stored, notificationId, parse.Error);
    }

    public Task RecordRejectionAsync(WebhookRejection rejection) => store.RecordRejectionAsync(rejection, time.GetUtcNow());

    /// <summary><c>webhooks/&lt;provider&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;sha256&gt;</c>: content-addressed within a day (UTC).</summary>
    public static string BlobKeyOf(string provider, DateTimeOffset receivedAt, string sha256) =>
        $"webhooks/{provider}/{receivedAt.UtcDateTime:yyyy'/'MM'/'dd}/{sha256}";

    private WebhookIngestResult Duplicate(StoredNotification stored, Guid existing)
    {
        LogDuplicate(logger, stored.Provider, stored.ProviderEventId, existing);
        return new WebhookIngestResult(WebhookIngestOutcome.Duplicate, existing, null);
    }

    private WebhookIngestResult Unavailable(StoredNotification stored, string stage, Exception exception)
    {
        LogStoreFailed(logger, exception, stored.Provider, stored.ProviderEventId, stage);
        return new WebhookIngestResult(WebhookIngestOutcome.StoreUnavailable, null, null);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Provider} {ProviderEventId} stored as notification {NotificationId} in {Milliseconds} ms")]
    private static partial void LogStored(ILogger logger, string provider, string providerEventId, Guid notificationId, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Provider} {ProviderEventId} is a re-delivery of notification {NotificationId}; nothing written")]
    private static partial void LogDuplicate(ILogger logger, string provider, string providerEventId, Guid notificationId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook {Provider} notification {NotificationId} ({ProviderEventId}) was signed but cannot be parsed: {Reason}; stored and acknowledged, published as unparseable")]
    private static partial void LogUnparseable(ILogger logger, string provider, Guid notificationId, string providerEventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Provider} {ProviderEventId}: the {Stage} failed; nothing acknowledged, the provider will retry")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string provider, string providerEventId, string stage);
}
