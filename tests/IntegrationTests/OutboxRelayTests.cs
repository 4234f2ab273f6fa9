using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Events;
using Payments.Actors.Infrastructure.Kafka;
using Payments.Actors.Infrastructure.Outbox;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The outbox relay as a component, driven round by round against a database of its own (migrated
/// by the real migrations) and the embedded Kafka: what it claims, produces, marks and parks.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OutboxRelayTests(PlatformFixture platform) : IAsyncLifetime
{
    private readonly MigratedDatabase _database = new();
    private readonly string _topic = $"it.outbox.{Guid.NewGuid():N}";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private NpgsqlDataSource DataSource => _database.DataSource;

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task RelayedEventsReachKafkaKeyedByAggregateWithTheirHeadersAndAreMarkedPublished()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var events = new[] { (a, "payment.initiated"), (b, "payment.initiated"), (a, "payment.authorized"), (a, "payment.captured"), (b, "payment.declined") };
        var ids = new List<Guid>();
        foreach (var (aggregate, type) in events)
        {
            ids.Add(await InsertAsync(aggregate, type));
        }

        var relay = Relay(platform.KafkaBootstrap);
        using var producer = relay.CreateProducer();
        var round = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);

        Assert.Equal(new RelayRound(5, 5, 0, ProducerFatal: false), round);
        Assert.Equal(5, await _database.ScalarAsync("SELECT count(*) FROM outbox_events WHERE status = 'PUBLISHED' AND published_at IS NOT NULL"));

        var records = Consume(5);
        Assert.Equal(ids.Select(id => id.ToString("D")).Order(), records.Select(r => Header(r, EventHeaders.EventId)).Order());
        Assert.Equal(["payment.initiated", "payment.authorized", "payment.captured"],
            records.Where(r => r.Message.Key == a.ToString("D")).Select(r => Header(r, EventHeaders.EventType)));
        Assert.Equal(["payment.initiated", "payment.declined"],
            records.Where(r => r.Message.Key == b.ToString("D")).Select(r => Header(r, EventHeaders.EventType)));
        Assert.All(records, r => Assert.Equal("payment", Header(r, EventHeaders.AggType)));
        using var payload = JsonDocument.Parse(records[0].Message.Value);
        Assert.Equal(Header(records[0], EventHeaders.EventId), payload.RootElement.GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task RowsLockedByAnotherRelayAreSkippedNotWaitedFor()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(a, "payment.initiated");
        await InsertAsync(a, "payment.captured");
        await InsertAsync(b, "payment.initiated");
        var relay = Relay(platform.KafkaBootstrap);
        using var producer = relay.CreateProducer();

        await using (var other = await DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var otherTransaction = await other.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            // Another relay holds a's rows mid-round.
            await using (var claim = new NpgsqlCommand("SELECT id FROM outbox_events WHERE agg_id = $1 FOR UPDATE", other, otherTransaction))
            {
                claim.Parameters.Add(new NpgsqlParameter { Value = a });
                await claim.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var round = await relay.RelayOnceAsync(producer, timeout.Token);

            Assert.Equal(new RelayRound(1, 1, 0, ProducerFatal: false), round);
            Assert.Equal(2, await _database.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND status = 'NEW'", a));
            await otherTransaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        var next = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);

        Assert.Equal(new RelayRound(2, 2, 0, ProducerFatal: false), next);
        Assert.Equal(0, await _database.ScalarAsync("SELECT count(*) FROM outbox_events WHERE status <> 'PUBLISHED'"));
    }

    [Fact]
    public async Task AnEventKafkaKeepsRefusingIsRetriedThenParkedWithItsError()
    {
        var id = await InsertAsync(Guid.NewGuid(), "payment.captured");
        // Nothing listens there: every produce times out.
        var relay = Relay($"127.0.0.1:{TestEnvironment.FreePort()}", attemptsMax: 2);
        using var producer = relay.CreateProducer();

        var first = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);
        var afterFirst = await RowAsync(id);
        var second = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);
        var afterSecond = await RowAsync(id);
        var third = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);

        Assert.Equal(new RelayRound(1, 0, 1, ProducerFatal: false), first);
        Assert.Equal(("NEW", 1), (afterFirst.Status, afterFirst.Attempts));
        Assert.False(string.IsNullOrWhiteSpace(afterFirst.Error));
        Assert.Equal(new RelayRound(1, 0, 1, ProducerFatal: false), second);
        Assert.Equal(("PARKED", 2), (afterSecond.Status, afterSecond.Attempts));
        Assert.Equal(0, third.Claimed);
    }

    [Fact]
    public async Task AnEventOfAnAggregateTypeWithoutATopicIsParkedNamingTheMissingTopic()
    {
        var id = await InsertAsync(Guid.NewGuid(), "thing.happened", aggType: "thing");
        var relay = Relay(platform.KafkaBootstrap, attemptsMax: 1);
        using var producer = relay.CreateProducer();

        var round = await relay.RelayOnceAsync(producer, TestContext.Current.CancellationToken);

        Assert.Equal(new RelayRound(1, 0, 1, ProducerFatal: false), round);
        var row = await RowAsync(id);
        Assert.Equal("PARKED", row.Status);
        Assert.Contains("thing", row.Error, StringComparison.Ordinal);
    }

    private OutboxRelay Relay(string bootstrap, int attemptsMax = 20) => new(
        DataSource,
        new OutboxSignal(),
        new OutboxMetrics(_services.GetRequiredService<IMeterFactory>()),
        Options.Create(new OutboxOptions { ProduceTimeout = TimeSpan.FromSeconds(2), AttemptsMax = attemptsMax }),
        Options.Create(new KafkaProducerSettings { BootstrapServers = bootstrap, Topics = { ["payment"] = _topic } }),
        new BrokerLossSignal(),
        TimeProvider.System,
        NullLogger<OutboxRelay>.Instance);

    private async Task<Guid> InsertAsync(Guid aggregate, string type, string aggType = "payment")
    {
        var id = Guid.CreateVersion7();
        await using var command = DataSource.CreateCommand(
            "INSERT INTO outbox_events (id, agg_type, agg_id, event_type, payload) VALUES ($1, $2, $3, $4, $5::jsonb)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = aggType });
        command.Parameters.Add(new NpgsqlParameter { Value = aggregate });
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new { event_id = id, event_type = type }) });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private async Task<(string Status, int Attempts, string? Error)> RowAsync(Guid id)
    {
        await using var command = DataSource.CreateCommand("SELECT status, retry_count, last_error FROM outbox_events WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private List<ConsumeResult<string, byte[]>> Consume(int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = platform.KafkaBootstrap,
            GroupId = $"it-relay-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(_topic);
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } result)
            {
                records.Add(result);
            }
        }

        consumer.Close();
        Assert.Equal(count, records.Count);
        return records;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
