using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The whole platform on real parts: a fresh PostgreSQL database, the real Redis, the PSP simulator
/// and the silo (co-hosting the API) as child processes on free ports, configured only through
/// environment variables exactly as in production. Tests may kill and restart the silo.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
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

    public string DatabaseConnectionString => new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = _database }.ConnectionString;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public IDatabase Redis => _redis!.GetDatabase();

    /// <summary>The PSP request timeout the silo runs with; the slow test card answers after twice as long.</summary>
    public static readonly TimeSpan PspRequestTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Short breaker and health windows so a test that breaks PSP A can wait for it to come back.</summary>
    public static readonly TimeSpan PspBreakDuration = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan PspHealthWindow = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The ratio rule's minimum volume, out of reach. Its window is 60 s of every attempt to a PSP, so one test's
    /// injected failures would still count in the next test's and could open the breaker there (CI once saw that).
    /// Tests of the ratio rule set their own volume through the operator API; unit tests cover it on a fake clock.
    /// </summary>
    public const int PspBreakerThroughputMin = 100_000;

    /// <summary>Sets the simulator's faults for one provider (<c>PUT /admin/faults/{provider}</c>).</summary>
    public async Task SetFaultsAsync(string provider, string json)
    {
        using var response = await Http.PutAsync($"{PspUrl}/admin/faults/{provider}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT faults {provider}: {(int)response.StatusCode}");
    }

    /// <summary>Clears the simulator's faults for one provider.</summary>
    public async Task ResetFaultsAsync(string provider)
    {
        using var response = await Http.DeleteAsync($"{PspUrl}/admin/faults/{provider}");
        Assert.True(response.IsSuccessStatusCode, $"DELETE faults {provider}: {(int)response.StatusCode}");
    }

    /// <summary>Stops one embedded Kafka broker: its connections close and new ones are refused (leaders do not move).</summary>
    public Task SetBrokerDownAsync(int id) => KafkaAdminAsync($"/admin/brokers/{id}/down");

    /// <summary>Lets one embedded Kafka broker accept connections again.</summary>
    public Task SetBrokerUpAsync(int id) => KafkaAdminAsync($"/admin/brokers/{id}/up");

    /// <summary>
    /// The next requests of one Kafka API fail with these errors, in order (<c>POST /admin/errors</c>), e.g.
    /// <c>("Produce", "NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT")</c>.
    /// </summary>
    public Task PushKafkaErrorsAsync(string api, params string[] errors) =>
        KafkaAdminAsync("/admin/errors", JsonSerializer.Serialize(new { api, errors }));

    private async Task KafkaAdminAsync(string path, string? json = null)
    {
        using var content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"{KafkaAdminUrl}{path}", content);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>One PSP as the operator API shows it on the silo serving the API: kill switch, overrides and live health.</summary>
    public async Task<JsonElement> PspStatusAsync(string psp)
    {
        var list = await GetAsync("/v1/operator/psps", clientId: Operator);
        Assert.True(list.Status == 200, list.ToString());
        return list.Json.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("psp").GetString() == psp);
    }

    /// <summary>The providers the simulator plays and the silo routes to.</summary>
    public static readonly IReadOnlyList<string> PspNames = ["psp-a", "psp-b", "bank"];

    /// <summary>
    /// The known state a test that depends on PSP routing or health starts from, whatever the tests before it did:
    /// no fault injected at any provider, and on the silo serving the API every PSP's breaker closed with an empty
    /// health window (the operator's reset, <c>DELETE /v1/operator/psps/{psp}/health</c>, seen applied there), so
    /// routing's configured order holds: PSP A first.
    /// </summary>
    public async Task StartFromHealthyPspsAsync()
    {
        var applied = new Dictionary<string, long>();
        foreach (var psp in PspNames)
        {
            await ResetFaultsAsync(psp);
            applied[psp] = (await PspStatusAsync(psp)).GetProperty("health").GetProperty("health_resets").GetInt64();
            var reset = await SendAsync(HttpMethod.Delete, $"/v1/operator/psps/{psp}/health", clientId: Operator);
            Assert.True(reset.Status == 200, reset.ToString());
        }

        var (done, list) = await PaymentWaits.PollAsync(() => GetAsync("/v1/operator/psps", clientId: Operator),
            r => r.Status == 200 && r.Json.GetProperty("data").EnumerateArray().All(
                p => p.GetProperty("health").GetProperty("health_resets").GetInt64() > applied[p.GetProperty("psp").GetString()!]),
            TimeSpan.FromSeconds(10));
        Assert.True(done, $"The PSPs' health resets were not all applied on the silo serving the API within 10 s: {list}\n{LogsOfSilo()}");
    }

    /// <summary>Waits until the silo serving the API has the setting in force (its refresher polls the operators' changes).</summary>
    public async Task WaitForPspSettingAsync(string psp, string setting, double value)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        double inForce;
        do
        {
            inForce = (await PspStatusAsync(psp)).GetProperty("health").GetProperty("settings").GetProperty(setting).GetDouble();
            if (inForce.Equals(value))
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{psp} {setting} was still {inForce}, not {value}, after 10 s.\n{LogsOfSilo()}");
    }

    public async Task<JsonElement> PspStatsAsync(string provider) =>
        await Http.GetFromJsonAsync<JsonElement>($"{PspUrl}/admin/stats/{provider}");

    /// <summary>Charges one provider recorded for one of our payments.</summary>
    public async Task<int> PspChargeCountAsync(string provider, Guid paymentId)
    {
        var list = await Http.GetFromJsonAsync<JsonElement>($"{PspUrl}/admin/charges/{provider}?reference={paymentId:N}");
        return list.GetProperty("charges").GetArrayLength();
    }

    public async ValueTask InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis + ",allowAdmin=true");
        _psp = ManagedProcess.Start("psp-simulator", TestEnvironment.ExecutablePath("PspSimulator", "Payments.Actors.PspSimulator"), PspUrl,
            new Dictionary<string, string>
            {
                ["Providers__psp-a__HmacSecret"] = _pspSecret,
                ["Providers__psp-b__HmacSecret"] = _pspSecret,
                ["Providers__bank__HmacSecret"] = _pspSecret,
                ["Providers__bank__PendingDurationMs"] = "1500",
                ["Providers__psp-a__SlowCardDelayMs"] = ((int)(PspRequestTimeout.TotalMilliseconds * 2)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Providers__psp-a__TimeoutHangMs"] = ((int)(PspRequestTimeout.TotalMilliseconds * 3)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
            });
        _kafka = StartKafka();
        await Task.WhenAll(
            _psp.WaitHealthyAsync($"{PspUrl}/health", TimeSpan.FromSeconds(60)),
            _kafka.WaitHealthyAsync($"{KafkaAdminUrl}/health", TimeSpan.FromSeconds(60)));
        await StartSiloAsync();
    }

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
                ["Kafka__Port"] = KafkaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

    public async Task<string> TokenAsync(string clientId)
    {
        if (_tokens.TryGetValue(clientId, out var cached))
        {
            return cached;
        }

        using var response = await Http.PostAsync($"{ApiUrl}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = _secrets[clientId],
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token for {clientId}: {(int)response.StatusCode} {body}");
        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        _tokens[clientId] = token;
        return token;
    }

    /// <summary>Sends a request as <paramref name="clientId"/> (null: no token). JSON bodies are sent as given, byte for byte.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null, string? idempotencyKey = null,
        string? clientId = MerchantA, string? baseUrl = null)
    {
        using var request = new HttpRequestMessage(method, $"{baseUrl ?? ApiUrl}{path}");
        if (clientId is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(clientId));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true"));
    }

    public Task<ApiResponse> PostAsync(string path, string? json, string? idempotencyKey = null, string? clientId = MerchantA) =>
        SendAsync(HttpMethod.Post, path, json, idempotencyKey ?? Guid.NewGuid().ToString(), clientId);

    public Task<ApiResponse> GetAsync(string path, string? clientId = MerchantA) => SendAsync(HttpMethod.Get, path, clientId: clientId);

    /// <summary>
    /// Charges the card PSPs recorded for one of our payments (their reference is the payment id), summed
    /// over PSP A and PSP B: live-health routing may pick either, and "charged once" must hold wherever.
    /// </summary>
    public async Task<int> PspChargeCountAsync(Guid paymentId) =>
        await PspChargeCountAsync("psp-a", paymentId) + await PspChargeCountAsync("psp-b", paymentId);

    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
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

    private Dictionary<string, string> SiloEnvironment(int siloPort, int gatewayPort, bool coHostApi)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "IntegrationTest",
            ["ConnectionStrings__Postgres"] = DatabaseConnectionString,
            ["ConnectionStrings__Redis"] = TestEnvironment.Redis,
            ["Orleans__ClusterId"] = _clusterId,
            ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        var clients = new (string Id, string? Merchant, string Scopes)[]
        {
            (MerchantA, MerchantA, "payments:read payments:write"),
            (MerchantB, MerchantB, "payments:read payments:write"),
            (ReaderA, MerchantA, "payments:read"),
            (Operator, null, "operator"),
        };
        for (var i = 0; i < clients.Length; i++)
        {
            var (id, merchant, scopes) = clients[i];
            environment[$"Auth__Clients__{i}__ClientId"] = id;
            environment[$"Auth__Clients__{i}__ClientSecret"] = _secrets[id];
            if (merchant is not null)
            {
                environment[$"Auth__Clients__{i}__MerchantId"] = merchant;
            }

            var scopeList = scopes.Split(' ');
            for (var s = 0; s < scopeList.Length; s++)
            {
                environment[$"Auth__Clients__{i}__Scopes__{s}"] = scopeList[s];
            }
        }

        return environment;
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
