using System.Net;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>
/// A receiver and a simulator that notifies it for every provider, with short retries and delays so tests
/// stay fast. Shared by the <see cref="WebhookCollection"/>; tests tell their notifications apart by reference.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string PspASecret = "psp-a-webhook-secret-0123456789";
    public const string PspBSecret = "psp-b-webhook-secret-0123456789";
    public const string BankSecret = "bank-webhook-secret-0123456789";
    public const string BankKeyId = "bank-2026-12";
    public const int RetryBaseMs = 40;
    public const int RetryMaxMs = 400;
    public const int MaxAttempts = 5;
    public const int SlowDelayMs = 1_000;
    public const int TimeoutHangMs = 5_000;
    public const int PendingDurationMs = 300;

    public static readonly string[] Providers = ["psp-a", "psp-b", "bank"];

    private WebhookReceiver? _receiver;
    private SimulatorHost? _host;

    public WebhookReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver has not started.");

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("The simulator has not started.");

    /// <summary>The secrets the receiver verifies with, per provider: (key id, secret), newest first.</summary>
    public static Dictionary<string, IReadOnlyList<(string KeyId, string Secret)>> Secrets() => new()
    {
        ["psp-a"] = [("", PspASecret)],
        ["psp-b"] = [("", PspBSecret)],
        ["bank"] = [(BankKeyId, BankSecret)],
    };

    /// <summary>Settings that point every provider's notifications at <paramref name="receiver"/>.</summary>
    public static List<string> Settings(WebhookReceiver receiver)
    {
        var settings = new List<string>();
        foreach (var (provider, secret) in new[] { ("psp-a", PspASecret), ("psp-b", PspBSecret), ("bank", BankSecret) })
        {
            var prefix = $"Providers:{provider}";
            settings.AddRange(
            [
                $"{prefix}:SlowCardDelayMs={SlowDelayMs}",
                $"{prefix}:TimeoutHangMs={TimeoutHangMs}",
                $"{prefix}:PendingDurationMs={PendingDurationMs}",
                $"{prefix}:Webhooks:Url={receiver.UrlFor(provider)}",
                $"{prefix}:Webhooks:Secret={secret}",
                $"{prefix}:Webhooks:RetryBaseMs={RetryBaseMs}",
                $"{prefix}:Webhooks:RetryMaxMs={RetryMaxMs}",
                $"{prefix}:Webhooks:MaxAttempts={MaxAttempts}",
                $"{prefix}:Webhooks:TimeoutMs=2000",
            ]);
        }

        settings.Add($"Providers:bank:Webhooks:KeyId={BankKeyId}");
        return settings;
    }

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync(Secrets());
        _host = await SimulatorHost.StartAsync(Settings(_receiver));
    }

    /// <summary>Between tests: no faults, default answers, and nothing of the last test still queued.</summary>
    public async Task QuiesceAsync(CancellationToken cancellationToken)
    {
        Receiver.Respond = null;
        Receiver.AnswerGate = Task.CompletedTask;
        foreach (var provider in Providers)
        {
            await Host.ClearFaultsAsync(provider, cancellationToken);
            using var cleared = await Host.Client.DeleteAsync($"/admin/webhook-faults/{provider}", cancellationToken);
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        }

        var started = TimeProvider.System.GetTimestamp();
        foreach (var provider in Providers)
        {
            while ((await Host.GetJsonAsync($"/admin/webhooks/{provider}", cancellationToken)).GetProperty("queued").GetInt64() > 0)
            {
                Assert.True(TimeProvider.System.GetElapsedTime(started) < WebhookReceiver.WaitMax, $"{provider} still has notifications queued");
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}
