using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The whole platform on real parts: a fresh PostgreSQL database, the real Redis, the PSP simulator
/// and the silo (co-hosting the API) as child processes on free ports, configured only through
/// environment variables exactly as in production. Tests may kill and restart the silo.
/// Split by concern: processes (PlatformFixture.Processes.cs), the API client (.Http), the database (.Database),
/// the embedded Kafka's admin API (.Kafka), the PSP simulator and PSP health (.Psp) and the OpenAPI contract check (.Contract).
/// </summary>
public sealed partial class PlatformFixture : IAsyncLifetime
{
    public const string MerchantA = "merchant-a";
    public const string MerchantB = "merchant-b";
    public const string ReaderA = "reader-a";
    public const string Operator = "operator";

    private readonly Dictionary<string, string> _secrets = new()
    {
        [MerchantA] = NewSecret(), [MerchantB] = NewSecret(), [ReaderA] = NewSecret(), [Operator] = NewSecret(),
    };

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly string _database = $"pa_it_{Guid.NewGuid():N}"[..24];
    private readonly string _clusterId = $"it-{Guid.NewGuid():N}"[..11];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pa-it-{Guid.NewGuid():N}");
    private readonly string _pspSecret = NewSecret();
    private readonly List<ManagedProcess> _extraSilos = [];
    private ManagedProcess? _psp;
    private ManagedProcess? _kafka;
    private ManagedProcess? _silo;
    private ConnectionMultiplexer? _redis;

    public int ApiPort { get; } = TestEnvironment.FreePort();

    public int PspPort { get; } = TestEnvironment.FreePort();

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";

    public string PspUrl => $"http://127.0.0.1:{PspPort}";

    public int KafkaPort { get; } = TestEnvironment.FreePort();

    public int KafkaAdminPort { get; } = TestEnvironment.FreePort();

    /// <summary>The embedded Kafka's bootstrap.servers (its fixed-port forwarder); the silo gets it as Kafka__BootstrapServers.</summary>
    public string KafkaBootstrap => $"127.0.0.1:{KafkaPort}";

    /// <summary>The embedded Kafka's admin API (broker down/up, request errors).</summary>
    public string KafkaAdminUrl => $"http://127.0.0.1:{KafkaAdminPort}";

    /// <summary>The client of every test: its exchanges with the API are checked against the served OpenAPI document (.Contract).</summary>
    public HttpClient Http { get; }

    public IDatabase Redis => _redis!.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        await CreateDatabaseAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis + ",allowAdmin=true");
        var simulator = new Dictionary<string, string>
        {
            ["Providers__psp-a__HmacSecret"] = _pspSecret,
            ["Providers__psp-b__HmacSecret"] = _pspSecret,
            ["Providers__bank__HmacSecret"] = _pspSecret,
            ["Providers__bank__PendingDurationMs"] = "1500",
            ["Providers__psp-a__SlowCardDelayMs"] = ((int)(PspRequestTimeout.TotalMilliseconds * 2)).ToString(CultureInfo.InvariantCulture),
            ["Providers__psp-a__TimeoutHangMs"] = ((int)(PspRequestTimeout.TotalMilliseconds * 3)).ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        AddSimulatorWebhookSettings(simulator);
        _psp = ManagedProcess.Start("psp-simulator", TestEnvironment.ExecutablePath("PspSimulator", "Payments.Actors.PspSimulator"), PspUrl, simulator);
        _kafka = StartKafka();
        await Task.WhenAll(
            _psp.WaitHealthyAsync($"{PspUrl}/health", TimeSpan.FromSeconds(60)),
            _kafka.WaitHealthyAsync($"{KafkaAdminUrl}/health", TimeSpan.FromSeconds(60)));
        await StartSiloAsync();
        await LoadContractAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _extraSilos)
        {
            await process.StopAsync(TimeSpan.FromSeconds(20));
            await process.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_psp is not null)
        {
            await _psp.DisposeAsync();
        }

        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }

        _redis?.Dispose();
        Http.Dispose();
        await ScratchDatabases.DropAsync(_database);

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private int SiloPort { get; } = TestEnvironment.FreePort();

    private int GatewayPort { get; } = TestEnvironment.FreePort();

    private static string SiloPath => TestEnvironment.ExecutablePath("Silo", "Payments.Actors.Silo");

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

[CollectionDefinition(Name)]
[ContractChecked]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
