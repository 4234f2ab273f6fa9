using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Grains.WebhookEndpoints;

/// <summary>
/// Sends merchant events to webhook endpoints, on every silo. It claims due deliveries (<see cref="WebhookDeliveryStore"/>),
/// is woken by the commits of this process that inserted deliveries (<see cref="WebhookSignal"/>) and by its own sends
/// finishing, and polls otherwise. Each attempt POSTs the stored event, signed; a 2xx within the timeout is delivered,
/// anything else is retried with backoff and full jitter until <see cref="WebhookOutOptions.RetryFor"/>. Per endpoint a
/// breaker (state in PostgreSQL, shared by the silos) and a concurrency limit (per silo): a dead endpoint costs the
/// others nothing. Attempts to one endpoint start in event order; retries follow their own schedule.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookDeliveryStore store,
    WebhookSignal signal,
    IHttpClientFactory httpClients,
    TimeProvider timeProvider,
    IOptions<WebhookOutOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string EventIdHeader = "Payments-Event-Id";
    public const string AttemptHeader = "Payments-Delivery-Attempt";

    private readonly WebhookOutOptions _options = options.Value;
    private readonly ConcurrentDictionary<Guid, int> _inFlightPerEndpoint = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _endpointGates = new();
    private readonly ConcurrentDictionary<Guid, Task> _sends = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await ClaimAndStartAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogClaimFailed(logger, exception);
            }

            if (claimed == 0 || _sends.Count >= _options.ConcurrencyMax)
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(_sends.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Claims what this silo may send now and starts sending it; returns how many it claimed.</summary>
    public async Task<int> ClaimAndStartAsync(CancellationToken cancellationToken)
    {
        var room = _options.ConcurrencyMax - _sends.Count;
        if (room <= 0)
        {
            return 0;
        }

        var now = timeProvider.GetUtcNow();
        var busy = _inFlightPerEndpoint.Where(e => e.Value >= _options.ConcurrencyPerEndpoint).Select(e => e.Key).ToArray();
        var claimed = await store.ClaimAsync(now, now + LeaseDuration(), room, _options.ConcurrencyPerEndpoint, _options.BreakerFailuresMax, busy,
            cancellationToken);
        foreach (var delivery in claimed)
        {
            _inFlightPerEndpoint.AddOrUpdate(delivery.EndpointId, 1, (_, n) => n + 1);
            _sends[delivery.Id] = SendAndMarkAsync(delivery, cancellationToken);
        }

        return claimed.Count;
    }

    /// <summary>A claimed delivery is its dispatcher's until then: two attempt timeouts (one waiting for its endpoint's gate, one sending) and a margin.</summary>
    private TimeSpan LeaseDuration() => (_options.AttemptTimeout * 2) + TimeSpan.FromSeconds(30);

    private async Task SendAndMarkAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var gate = _endpointGates.GetOrAdd(delivery.EndpointId, _ => new SemaphoreSlim(_options.ConcurrencyPerEndpoint));
        var entered = false;
        try
        {
            await gate.WaitAsync(cancellationToken);
            entered = true;
            var (statusCode, error) = await AttemptAsync(delivery, cancellationToken);
            await MarkAsync(delivery, statusCode, error, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The lease runs out and the delivery is claimed again: at least once, same event id.
            LogMarkFailed(logger, exception, delivery.Id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease runs out and another dispatcher sends it.
        }
        finally
        {
            if (entered)
            {
                gate.Release();
            }

            _inFlightPerEndpoint.AddOrUpdate(delivery.EndpointId, 0, (_, n) => n - 1);
            _sends.TryRemove(delivery.Id, out _);
            signal.Pulse();
        }
    }

    private async Task MarkAsync(ClaimedDelivery delivery, int? statusCode, string? error, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (error is null)
        {
            await store.MarkDeliveredAsync(delivery, statusCode!.Value, now, cancellationToken);
            LogDelivered(logger, delivery.EventId, delivery.EndpointId, delivery.Attempt, statusCode.Value);
            return;
        }

        var retryAt = now + WebhookBackoff.Delay(delivery.Attempt, _options.RetryDelayBase, _options.RetryDelayMax, Random.Shared.NextDouble());
        await store.MarkFailedAsync(delivery, statusCode, error, now, retryAt, _options.RetryFor, _options.BreakerFailuresMax, _options.BreakDuration,
            _options.DisableAfter, cancellationToken);
        LogAttemptFailed(logger, delivery.EventId, delivery.EndpointId, delivery.Attempt, statusCode, error);
    }

    /// <summary>One POST; (status, null) on a 2xx, else (status or null, what went wrong).</summary>
    public async Task<(int? StatusCode, string? Error)> AttemptAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var now = timeProvider.GetUtcNow();
        string[] secrets = delivery.PreviousSecret is { } previous && delivery.PreviousSecretExpiresAt > now
            ? [delivery.Secret, previous]
            : [delivery.Secret];
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Header(now, body, secrets));
        request.Headers.TryAddWithoutValidation(EventIdHeader, delivery.EventId.ToString());
        request.Headers.TryAddWithoutValidation(AttemptHeader, delivery.Attempt.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("User-Agent", WebhookHttp.UserAgent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AttemptTimeout);
        try
        {
            using var response = await httpClients.CreateClient(WebhookHttp.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return (status, null);
            }

            return (status, $"HTTP {status}{await ExcerptAsync(response, timeout.Token)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {_options.AttemptTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception)
        {
            return (null, Truncate(exception.Message, 200));
        }
    }

    /// <summary>The start of a refusal's body, at most <see cref="WebhookOutOptions.ResponseBodyBytesMax"/> bytes read, 200 characters kept.</summary>
    private async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = new byte[_options.ResponseBodyBytesMax];
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            return text.Length == 0 ? string.Empty : ": " + Truncate(text, 200);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException)
        {
            return string.Empty;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook event {EventId} delivered to endpoint {EndpointId} on attempt {Attempt} ({StatusCode})")]
    private static partial void LogDelivered(ILogger logger, Guid eventId, Guid endpointId, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook event {EventId} to endpoint {EndpointId}, attempt {Attempt} failed ({StatusCode}): {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid eventId, Guid endpointId, int attempt, int? statusCode, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming webhook deliveries failed; trying again at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} could not be recorded; its lease runs out and it is sent again")]
    private static partial void LogMarkFailed(ILogger logger, Exception exception, Guid deliveryId);
}
