namespace Payments.Actors.PspSimulatorTests;

/// <summary>A simulator writing settlement files into a fresh temporary directory, removed afterwards.</summary>
public sealed class SettlementFixture : IAsyncLifetime
{
    private SimulatorHost? _host;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "settlement-api-" + Guid.NewGuid().ToString("N"));

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("The simulator has not started.");

    public async ValueTask InitializeAsync() => _host = await SimulatorHost.StartAsync([$"Settlement:Directory={Directory}"]);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

/// <summary>Settlement API tests share one simulator and run one at a time, so one test's faults never reach another's file.</summary>
[CollectionDefinition(Name)]
public sealed class SettlementCollection : ICollectionFixture<SettlementFixture>
{
    public const string Name = "Settlement";
}
