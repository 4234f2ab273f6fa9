using System.Net.Http.Headers;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// Delivers every enabled provider's notifications: one loop per provider takes due copies from its
/// <see cref="WebhookOutbox"/>, posts each one signed afresh (new timestamp per attempt) and reports the result.
/// </summary>
internal sealed class WebhookSender(ProviderRegistry registry, IHttpClientFactory clients, TimeProvider time, ILogger<WebhookSender> logger)
    : BackgroundService
{
    private static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(10);
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public static string ClientName(string provider) => "webhooks-" + provider;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(registry.All.Where(static provider => provider.Webhooks.Enabled).Select(provider => RunAsync(provider.Webhooks, stoppingToken)));

    private async Task RunAsync(WebhookOutbox outbox, CancellationToken stoppingToken)
    {
        var sending = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (outbox.TryTake(out var delivery))
                {
                    sending.Add(SendAsync(outbox, delivery!, stoppingToken));
                }

                sending.RemoveWhere(static task => task.IsCompleted);
                await WaitAsync(outbox, stoppingToken);
            }
        }
        finally
        {
            await Task.WhenAll(sending);
        }
    }

    private async Task WaitAsync(WebhookOutbox outbox, CancellationToken stoppingToken)
    {
        var wait = outbox.NextWait();
        if (wait == TimeSpan.Zero)
        {
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task woken = outbox.Wakeups.WaitToReadAsync(done.Token).AsTask();
        await (wait is { } due ? Task.WhenAny(woken, Task.Delay(due, time, done.Token)) : Task.WhenAny(woken));
        await done.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
        outbox.Wakeups.TryRead(out _);
    }

    private async Task SendAsync(WebhookOutbox outbox, WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        var attemptedAt = time.GetUtcNow();
        var wrongSignature = outbox.Faults.TakeWrongSignature();
        var staleTimestamp = outbox.Faults.TakeStaleTimestamp();
        var notification = delivery.Notification;
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, outbox.Url) { Content = new ByteArrayContent(notification.Body) };
            request.Content.Headers.ContentType = JsonContentType;
            var signedAt = staleTimestamp ? attemptedAt - StaleAge : attemptedAt;
            foreach (var header in WebhookSignatures.Headers(outbox.Provider, outbox.Options, notification.Body, signedAt, wrongSignature))
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var client = clients.CreateClient(ClientName(outbox.Provider));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the simulator's state is in memory and goes with it.
            return;
        }
        catch (OperationCanceledException)
        {
            error = "timeout";
        }
        catch (HttpRequestException exception)
        {
            error = "no answer: " + exception.HttpRequestError;
        }
        catch (Exception exception)
        {
            // A bug here must not leave the copy in flight for ever and block its lane: count the attempt as failed.
            SimulatorLog.WebhookSendFailed(logger, exception, outbox.Provider, notification.Id);
            error = "error: " + exception.GetType().Name;
        }

        SimulatorLog.WebhookAttempted(logger, outbox.Provider, notification.Id, notification.Type, delivery.Copy, delivery.Attempts, status, error);
        outbox.Complete(delivery, attemptedAt, status, error, wrongSignature, staleTimestamp);
    }
}
