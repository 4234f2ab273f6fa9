namespace Payments.Actors.PspSimulatorTests;

/// <summary>One unsigned simulator shared by the <see cref="SimulatorCollection"/>, with short delays so tests stay fast.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public const int SlowDelayMs = 300;
    public const int TimeoutHangMs = 2_000;
    public const int PendingDurationMs = 300;

    private SimulatorHost? _host;

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("The simulator has not started.");

    public async ValueTask InitializeAsync()
    {
        var settings = new List<string>();
        foreach (var provider in new[] { "psp-a", "psp-b", "bank" })
        {
            settings.Add($"Providers:{provider}:SlowCardDelayMs={SlowDelayMs}");
            settings.Add($"Providers:{provider}:TimeoutHangMs={TimeoutHangMs}");
            settings.Add($"Providers:{provider}:PendingDurationMs={PendingDurationMs}");
        }

        _host = await SimulatorHost.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
