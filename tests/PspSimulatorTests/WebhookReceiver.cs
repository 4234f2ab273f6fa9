using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>
/// A tiny merchant platform on a loopback port: takes <c>POST /v1/webhooks/psp/{provider}</c>, checks the signature
/// with <see cref="WebhookVerifier"/>, records everything and answers like the ingest would (200 when valid, 401
/// otherwise) unless a test installs its own <see cref="Respond"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const int NoAnswer = -1;

    public static readonly TimeSpan WaitMax = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly IReadOnlyDictionary<string, IReadOnlyList<(string KeyId, string Secret)>> _secrets;
    private Func<ReceivedWebhook, int?>? _respond;
    private Task _answerGate = Task.CompletedTask;

    private WebhookReceiver(WebApplication app, IReadOnlyDictionary<string, IReadOnlyList<(string KeyId, string Secret)>> secrets)
    {
        _app = app;
        _secrets = secrets;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// A test's own answer: a status, <see cref="NoAnswer"/> to drop the connection without answering, or null for
    /// the default (200 when the signature is valid, else 401).
    /// </summary>
    public Func<ReceivedWebhook, int?>? Respond
    {
        get => Volatile.Read(ref _respond);
        set => Volatile.Write(ref _respond, value);
    }

    /// <summary>Requests arriving while this task is pending are recorded at once but answered only when it completes.</summary>
    public Task AnswerGate
    {
        get => Volatile.Read(ref _answerGate);
        set => Volatile.Write(ref _answerGate, value);
    }

    public static async Task<WebhookReceiver> StartAsync(IReadOnlyDictionary<string, IReadOnlyList<(string KeyId, string Secret)>> secrets)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secrets);
        app.MapPost("/v1/webhooks/psp/{provider}", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public string UrlFor(string provider) => new Uri(BaseAddress, $"/v1/webhooks/psp/{provider}").ToString();

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>What arrived about one of our references, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> For(string reference) => [.. Received.Where(w => w.Reference == reference)];

    /// <summary>Polls until at least <paramref name="count"/> requests about <paramref name="reference"/> arrived; fails with what did arrive after <see cref="WaitMax"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string reference, int count, CancellationToken cancellationToken) =>
        await WaitUntilAsync(reference, received => received.Count >= count, $"{count} notifications", cancellationToken);

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitUntilAsync(
        string reference, Func<IReadOnlyList<ReceivedWebhook>, bool> done, string what, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var received = For(reference);
            if (done(received))
            {
                return received;
            }

            if (TimeProvider.System.GetElapsedTime(started) > WaitMax)
            {
                Assert.Fail($"waited {WaitMax.TotalSeconds:0} s for {what} about {reference}; got: {string.Join("; ", received)}");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context, string provider)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var verdict = _secrets.TryGetValue(provider, out var secrets)
            ? WebhookVerifier.Verify(provider, headers, buffer.ToArray(), secrets, TimeProvider.System.GetUtcNow())
            : WebhookVerdict.Missing;
        var received = new ReceivedWebhook(provider, headers, buffer.ToArray(), verdict, TimeProvider.System.GetTimestamp());
        var status = Respond?.Invoke(received) ?? (verdict == WebhookVerdict.Valid ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
        received.AnsweredStatus = status;
        lock (_gate)
        {
            _received.Add(received);
        }

        await AnswerGate.WaitAsync(context.RequestAborted);
        if (status == NoAnswer)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
    }
}
