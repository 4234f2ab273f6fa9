using System.Text;
using Confluent.Kafka;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The transactional outbox end to end: a payment's committed events reach <c>payments.events</c>
/// through the relay of the running silo, and a Kafka outage neither blocks payments nor loses events.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EventBackboneTests(PlatformFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task APaymentsEventsArePublishedInOrderKeyedByItsId()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4200));
        Assert.Equal(201, created.Status);

        var records = ConsumeUntil("payments.events", r => r.Message.Key == created.Id.ToString("D"), 3);

        Assert.Equal(["payment.initiated", "payment.authorized", "payment.captured"], records.Select(r => Header(r, "event_type")));
        var eventIds = records.Select(r => Guid.Parse(Header(r, "event_id"))).ToList();
        foreach (var eventId in eventIds)
        {
            Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE id = $1 AND status = 'PUBLISHED'", eventId));
        }
    }

    [Fact]
    public async Task PaymentsAreAcceptedWhileKafkaIsDownAndTheirEventsArePublishedWhenItIsBack()
    {
        var ids = new List<Guid>();
        await platform.SetBrokerDownAsync(1);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 100 + i));
                Assert.Equal(201, created.Status);
                Assert.Equal("CAPTURED", created.State);
                ids.Add(created.Id);
            }

            Assert.Equal(15, await UnpublishedAsync(ids));
        }
        finally
        {
            await platform.SetBrokerUpAsync(1);
        }

        await WaitUntilAsync(async () => await UnpublishedAsync(ids) == 0, "the 15 payments' events published after the broker came back");
        var keys = ids.Select(id => id.ToString("D")).ToHashSet();
        var records = ConsumeUntil("payments.events", r => keys.Contains(r.Message.Key), 15);
        Assert.Equal(15, records.Select(r => Header(r, "event_id")).Distinct().Count());
    }

    [Fact]
    public async Task TheSiloExportsOutboxLagAndConsumerLagMetrics()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4300));
        Assert.Equal(201, created.Status);
        ConsumeUntil("payments.events", r => r.Message.Key == created.Id.ToString("D"), 3);

        string[] names = ["payments_outbox_pending_events", "payments_outbox_oldest_pending_age_seconds", "payments_outbox_published_total",
            "payments_kafka_consumer_lag_records{", "payments_ledger_feed_records_total{", "payments_ledger_unbooked_events",
            "payments_ledger_oldest_unbooked_age_seconds", "payments_ledger_redrives_exhausted_events"];
        var metrics = "";
        await Eventually.Until(async () =>
        {
            metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
            return names.All(name => metrics.Contains(name, StringComparison.Ordinal));
        }, Patience, () => $"every outbox, consumer and ledger metric exported; missing: {string.Join(", ", names.Where(n => !metrics.Contains(n, StringComparison.Ordinal)))}");

        Assert.All(names, name => Assert.Contains(name, metrics, StringComparison.Ordinal));
        Assert.Contains("topic=\"payments.events\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorsSeeAParkedEventWithItsErrorAndRequeueingItPublishesIt()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4400));
        Assert.Equal(201, created.Status);
        await WaitUntilAsync(async () => await UnpublishedAsync([created.Id]) == 0, "the payment's events published");
        // As the relay leaves a row that failed Outbox:AttemptsMax times.
        Assert.Equal(1, await platform.ScalarAsync(
            "WITH u AS (UPDATE outbox_events SET status = 'PARKED', published_at = NULL, retry_count = 20, last_error = 'test: topic unknown' " +
            "WHERE agg_id = $1 AND event_type = 'payment.captured' RETURNING 1) SELECT count(*) FROM u", created.Id));

        var outbox = await platform.SendAsync(HttpMethod.Get, "/v1/operator/outbox", clientId: PlatformFixture.Operator);
        Assert.Equal(200, outbox.Status);
        Assert.True(outbox.Json.GetProperty("parked").GetInt64() >= 1);
        Assert.True(outbox.Json.GetProperty("published").GetInt64() >= 2);
        var parked = Assert.Single(outbox.Json.GetProperty("parked_events").EnumerateArray(), e => e.GetProperty("agg_id").GetGuid() == created.Id);
        Assert.Equal(("payment.captured", 20, "test: topic unknown"),
            (parked.GetProperty("event_type").GetString(), parked.GetProperty("attempts").GetInt32(), parked.GetProperty("last_error").GetString()));
        Assert.Equal(403, (await platform.SendAsync(HttpMethod.Get, "/v1/operator/outbox")).Status);

        var requeued = await platform.SendAsync(HttpMethod.Post, "/v1/operator/outbox/requeue-parked", clientId: PlatformFixture.Operator);
        Assert.Equal(200, requeued.Status);
        Assert.True(requeued.Json.GetProperty("count").GetInt32() >= 1);
        await WaitUntilAsync(async () => await UnpublishedAsync([created.Id]) == 0, "the requeued event published again");
        var after = await platform.SendAsync(HttpMethod.Get, "/v1/operator/outbox", clientId: PlatformFixture.Operator);
        Assert.DoesNotContain(after.Json.GetProperty("parked_events").EnumerateArray(), e => e.GetProperty("agg_id").GetGuid() == created.Id);
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.Until(condition, Patience, () => $"{what}\n{platform.LogsOfSilo()}");

    /// <summary>The payments' own events not yet published (PSP notifications about them are keyed by the payment too).</summary>
    private async Task<long> UnpublishedAsync(List<Guid> ids) =>
        await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = ANY($1) AND agg_type = 'payment' AND status <> 'PUBLISHED'", ids.ToArray());

    /// <summary>Reads the topic from the start with a fresh group until <paramref name="count"/> records match.</summary>
    private List<ConsumeResult<string, byte[]>> ConsumeUntil(string topic, Func<ConsumeResult<string, byte[]>, bool> match, int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = platform.KafkaBootstrap,
            GroupId = $"it-backbone-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Patience;
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } result && match(result))
            {
                records.Add(result);
            }
        }

        consumer.Close();
        Assert.True(records.Count == count, $"{records.Count} of {count} records arrived on {topic}\n{platform.LogsOfSilo()}");
        return records;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
