namespace Payments.Actors.PspSimulatorTests;

/// <summary>A simulator with a signing secret for every provider.</summary>
public sealed class SignedSimulatorFixture : IAsyncLifetime
{
    public const string Secret = "test-secret-0123456789abcdef";

    private SimulatorHost? _host;

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("The simulator has not started.");

    public async ValueTask InitializeAsync() =>
        _host = await SimulatorHost.StartAsync(new[] { "psp-a", "psp-b", "bank" }.Select(static provider => $"Providers:{provider}:HmacSecret={Secret}"));

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
