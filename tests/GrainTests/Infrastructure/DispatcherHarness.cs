using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Actors.Grains;
using Payments.Actors.Grains.WebhookEndpoints;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>
/// The webhook dispatcher on a fresh PostgreSQL database with a fake clock and a loopback receiver: events and
/// endpoints are written with the production statements through the real group-commit writer (whose commits wake the
/// dispatcher), and the test moves the clock.
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    private readonly HttpClient _client;
    private GroupCommitWriter? _writer;

    public DispatcherHarness(WebhookOutOptions? options = null)
    {
        Options = options ?? new WebhookOutOptions
        {
            AllowHttp = true,
            AllowPrivateNetworks = true,
            AttemptTimeout = TimeSpan.FromSeconds(2),
            BreakerFailuresMax = 3,
            BreakDuration = TimeSpan.FromMinutes(1),
            ConcurrencyPerEndpoint = 2,
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        Receiver = new WebhookReceiver(Clock);
        _client = new HttpClient(WebhookHttp.CreateHandler(new WebhookUrlPolicy(true, true), Options.AttemptTimeout)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public MigratedDatabase Database { get; } = new();

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public WebhookOutOptions Options { get; }

    public WebhookReceiver Receiver { get; }

    public WebhookSignal Signal { get; } = new();

    public WebhookDeliveryStore Deliveries { get; private set; } = null!;

    public WebhookDispatcher Dispatcher { get; private set; } = null!;

    public async Task StartAsync(bool dispatching = true)
    {
        await Database.InitializeAsync();
        await Receiver.StartAsync();
        _writer = new GroupCommitWriter(Database.DataSource, new OutboxSignal(), Signal, Microsoft.Extensions.Options.Options.Create(new GroupCommitOptions()),
            NullLogger<GroupCommitWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
        Deliveries = new WebhookDeliveryStore(Database.DataSource);
        Dispatcher = new WebhookDispatcher(Deliveries, Signal, new OneClient(_client), Clock, Microsoft.Extensions.Options.Options.Create(Options),
            NullLogger<WebhookDispatcher>.Instance);
        if (dispatching)
        {
            await Dispatcher.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>An enabled endpoint of <paramref name="merchantId"/> at the receiver's <paramref name="path"/>.</summary>
    public async Task<WebhookEndpointSnapshot> AddEndpointAsync(string merchantId, string path, string secret, params string[] enabledEvents)
    {
        var now = Clock.GetUtcNow();
        var endpoint = new WebhookEndpointSnapshot(UuidV7.New(now), Receiver.BaseUrl + path, enabledEvents, "enabled", null, null, secret, null, null, now, now);
        Assert.Equal(WriteOutcome.Committed, await _writer!.WriteAsync([WebhookEndpointStore.InsertEndpoint(merchantId, endpoint, 16)]));
        return endpoint;
    }

    /// <summary>A merchant event committed as the write units commit it (with its deliveries); returns its id.</summary>
    public async Task<Guid> CommitEventAsync(string merchantId, string type)
    {
        var id = UuidV7.New(Clock.GetUtcNow());
        var body = "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"api_version\":\"v1\",\"data\":{\"object\":{\"object\":\"payment\"}}}";
        Assert.Equal(WriteOutcome.Committed, await _writer!.WriteAsync([SqlStatement.MerchantEventInsert(id, merchantId, type, UuidV7.TimestampOf(id), body)]));
        return id;
    }

    public Task<WriteOutcome> WriteAsync(params SqlStatement[] unit) => _writer!.WriteAsync(unit);

    public async Task<string> StatusAsync(Guid endpointId, Guid eventId)
    {
        await using var command = Database.DataSource.CreateCommand("SELECT status FROM webhook_deliveries WHERE endpoint_id = $1 AND event_id = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = endpointId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = eventId });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        Dispatcher.Dispose();
        if (_writer is not null)
        {
            await _writer.StopAsync(CancellationToken.None);
        }

        _client.Dispose();
        await Receiver.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class OneClient(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}
