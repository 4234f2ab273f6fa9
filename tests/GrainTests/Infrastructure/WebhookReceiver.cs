using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>One webhook POST as a receiver saw it, with the test clock's time and the status it answered.</summary>
public sealed record ReceivedWebhook(string Path, Guid EventId, int Attempt, string Signature, byte[] Body, DateTimeOffset At, int Status);

/// <summary>
/// A merchant's webhook receiver on a loopback Kestrel port: records every POST and answers with the status
/// <see cref="StatusOf"/> chooses for its path (200 unless told otherwise).
/// </summary>
public sealed class WebhookReceiver(TimeProvider clock) : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public ConcurrentDictionary<string, int> StatusOf { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedWebhook> At(string path) => [.. Received.Where(r => r.Path == path)];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{path}", async (HttpContext context, string path) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var status = StatusOf.GetValueOrDefault("/" + path, 200);
            Received.Enqueue(new ReceivedWebhook("/" + path, Guid.Parse(context.Request.Headers["Payments-Event-Id"].ToString()),
                int.Parse(context.Request.Headers["Payments-Delivery-Attempt"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                context.Request.Headers["Payments-Signature"].ToString(), body.ToArray(), clock.GetUtcNow(), status));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
