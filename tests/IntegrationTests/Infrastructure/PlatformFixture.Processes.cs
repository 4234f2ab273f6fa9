using System.Globalization;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>The child processes: the silo (killed and restarted by tests), extra silos, ApiFront and the embedded Kafka.</summary>
public sealed partial class PlatformFixture
{
    /// <summary>
    /// kill -9 of the embedded Kafka and a new one on the same ports: everything it held (records, committed offsets,
    /// injected errors) is gone, as when deploy/run.sh restarts it.
    /// </summary>
    public async Task RestartKafkaEmptyAsync()
    {
        await _kafka!.DisposeAsync();
        _kafka = StartKafka();
        await _kafka.WaitHealthyAsync($"{KafkaAdminUrl}/health", TimeSpan.FromSeconds(60));
    }

    private ManagedProcess StartKafka() =>
        ManagedProcess.Start("kafka-embedded", TestEnvironment.ExecutablePath("KafkaEmbedded", "Payments.Actors.KafkaEmbedded"), KafkaAdminUrl,
            new Dictionary<string, string>
            {
                ["Kafka__Port"] = KafkaPort.ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
            });

    /// <summary>Starts the primary silo (after a kill, on the same ports and database), with <paramref name="settings"/> over the test defaults.</summary>
    public async Task StartSiloAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        _tokens.Clear();
        var environment = SiloEnvironment(siloPort: SiloPort, gatewayPort: GatewayPort, coHostApi: true);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        _silo = ManagedProcess.Start("silo", SiloPath, ApiUrl, environment);
        await _silo.WaitHealthyAsync($"{ApiUrl}/health/ready", TimeSpan.FromSeconds(120));
    }

    /// <summary>kill -9 of the primary silo: no shutdown, no flush, nothing graceful.</summary>
    public Task KillSiloAsync() => _silo!.KillAsync();

    /// <summary>Starts one more silo of the same cluster on its own ports; it serves health only.</summary>
    public async Task<ManagedProcess> StartExtraSiloAsync()
    {
        var httpPort = TestEnvironment.FreePort();
        var silo = ManagedProcess.Start($"silo-{_extraSilos.Count + 2}", SiloPath, $"http://127.0.0.1:{httpPort}",
            SiloEnvironment(TestEnvironment.FreePort(), TestEnvironment.FreePort(), coHostApi: false));
        _extraSilos.Add(silo);
        await silo.WaitHealthyAsync($"http://127.0.0.1:{httpPort}/health/ready", TimeSpan.FromSeconds(120));
        return silo;
    }

    /// <summary>Starts one more silo of the same cluster that also serves the API (same issuer and signing key); returns it and its base URL.</summary>
    public async Task<(ManagedProcess Process, string Url)> StartExtraSiloWithApiAsync()
    {
        var httpPort = TestEnvironment.FreePort();
        var url = $"http://127.0.0.1:{httpPort}";
        var silo = ManagedProcess.Start($"silo-{_extraSilos.Count + 2}", SiloPath, url,
            SiloEnvironment(TestEnvironment.FreePort(), TestEnvironment.FreePort(), coHostApi: true));
        _extraSilos.Add(silo);
        await silo.WaitHealthyAsync($"{url}/health/ready", TimeSpan.FromSeconds(120));
        return (silo, url);
    }

    /// <summary>Starts ApiFront as its own process: an Orleans client of this cluster.</summary>
    public async Task<(ManagedProcess Process, string Url)> StartApiFrontAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = TestEnvironment.FreePort();
        var url = $"http://127.0.0.1:{port}";
        // Same issuer and signing key as the silo's API: one logical authority, any front accepts its tokens.
        var environment = SiloEnvironment(0, 0, coHostApi: true);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var apiFront = ManagedProcess.Start("api-front", TestEnvironment.ExecutablePath("ApiFront", "Payments.Actors.ApiFront"), url, environment);
        _extraSilos.Add(apiFront);
        await apiFront.WaitHealthyAsync($"{url}/health/live", TimeSpan.FromSeconds(120));
        return (apiFront, url);
    }

    public string LogsOfSilo() => _silo?.LogTail() ?? "";

    /// <summary>The distinct exception lines of the silo's recent log: what a failure message should lead with.</summary>
    public string ExceptionsOfSilo() =>
        string.Join(" | ", LogsOfSilo().Split('\n').Select(line => line.Trim())
            .Where(line => line.Contains("Exception", StringComparison.Ordinal) && !line.StartsWith("at ", StringComparison.Ordinal))
            .Distinct().TakeLast(5));

    private Dictionary<string, string> SiloEnvironment(int siloPort, int gatewayPort, bool coHostApi)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "IntegrationTest",
            ["ConnectionStrings__Postgres"] = DatabaseConnectionString,
            ["ConnectionStrings__Redis"] = TestEnvironment.Redis,
            ["Orleans__ClusterId"] = _clusterId,
            ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Api__CoHosted"] = coHostApi ? "true" : "false",
            ["Platform__DataDirectory"] = _dataDirectory,
            ["Kafka__BootstrapServers"] = KafkaBootstrap,
            ["Auth__Issuer"] = $"{ApiUrl}/",
            ["Psp__SettingsRefreshInterval"] = "00:00:00.200",
            ["Psp__Providers__psp-a__BaseUrl"] = PspUrl,
            ["Psp__Providers__psp-a__HmacSecret"] = _pspSecret,
            ["Psp__Providers__psp-a__RequestTimeout"] = PspRequestTimeout.ToString(),
            ["Psp__Providers__psp-a__BreakDuration"] = PspBreakDuration.ToString(),
            ["Psp__Providers__psp-a__HealthWindow"] = PspHealthWindow.ToString(),
            ["Psp__Providers__psp-a__BreakerThroughputMin"] = PspBreakerThroughputMin.ToString(CultureInfo.InvariantCulture),
            ["Psp__Providers__psp-b__BaseUrl"] = PspUrl,
            ["Psp__Providers__psp-b__HmacSecret"] = _pspSecret,
            ["Psp__Providers__psp-b__RequestTimeout"] = PspRequestTimeout.ToString(),
            ["Psp__Providers__psp-b__BreakerThroughputMin"] = PspBreakerThroughputMin.ToString(CultureInfo.InvariantCulture),
            ["Psp__Providers__bank__BaseUrl"] = PspUrl,
            ["Psp__Providers__bank__HmacSecret"] = _pspSecret,
            ["Psp__Providers__bank__RequestTimeout"] = PspRequestTimeout.ToString(),
            ["Ledger__CheckInterval"] = "00:00:01",
            ["Ledger__RedriveAfter"] = "00:00:05",
            ["Ledger__VerifyInterval"] = "00:00:05",
            ["Payments__PendingInquiryDelayMin"] = "00:00:00.500",
            ["Payments__PendingInquiryDelayMax"] = "00:00:02",
            ["Payments__PspNotFoundGrace"] = "00:00:04",
            ["Payments__PendingSweepInterval"] = "00:00:02",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        AddAuthClients(environment);
        AddSiloWebhookSettings(environment);
        return environment;
    }
}
