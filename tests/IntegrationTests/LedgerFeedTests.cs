using System.Text;
using Confluent.Kafka;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Money that moved is in the books exactly once: payments' events go through the outbox, the relay,
/// Kafka and the Kafka stream provider into the ledger, and neither a relay that publishes twice, a
/// silo killed mid-stream, a Kafka outage nor a poison record adds, drops or doubles a posting.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerFeedTests(PlatformFixture platform)
{
    private const string ConsumerGroup = "payments-silo";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryCaptureAndRefundOfAMixedRunIsPostedExactlyOnceAndTheBooksBalance()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000 + i, currency: i % 2 == 0 ? "EUR" : "JPY"));
            Assert.Equal("CAPTURED", created.State);
            ids.Add(created.Id);
        }

        var authorised = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 900, capture: false));
        await platform.PostAsync($"/v1/payments/{authorised.Id}/capture", Requests.Amount(600));
        await platform.PostAsync($"/v1/payments/{authorised.Id}/refund", Requests.Amount(250));
        await platform.PostAsync($"/v1/payments/{authorised.Id}/refund", Requests.Amount(100));
        var voided = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 700, capture: false));
        await platform.PostAsync($"/v1/payments/{voided.Id}/void", null);
        var declined = await platform.PostAsync("/v1/payments", Requests.Payment(card: Requests.DeclinedCard));
        await platform.PostAsync($"/v1/payments/{ids[0]}/refund", null);
        ids.AddRange([authorised.Id, voided.Id, declined.Id]);

        // Six captures, one partial capture, three refunds; the void and the decline move no money.
        await WaitForPostingsAsync(ids, 10);

        Assert.Equal(20, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", ids.ToArray()));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", new[] { voided.Id, declined.Id }));
        // The payment that was partially captured and twice refunded: 600 in, 350 back.
        Assert.Equal(250, await platform.ScalarAsync(
            """
            SELECT sum(CASE WHEN e.side = 'C' THEN e.amount_minor ELSE -e.amount_minor END) FROM ledger_entries e
            JOIN accounts a ON a.id = e.account_id WHERE e.payment_id = $1 AND a.code LIKE 'merchant_payable:%'
            """, authorised.Id));
        await AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task WalletMoneyIsBookedOnceAndTheWalletReconcilesToItsLedgerAccount()
    {
        var wallet = $"wl-{Guid.NewGuid():N}"[..20];
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":1000,"currency":"EUR"}""");
        var cashOut = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", """{"amount_minor":300,"currency":"EUR"}""");
        var paid = await platform.PostAsync("/v1/payments",
            $$$"""{"amount_minor":200,"currency":"EUR","payment_method":{"type":"wallet","wallet_id":"{{{wallet}}}"}}""");
        var refund = await platform.PostAsync($"/v1/payments/{paid.Id}/refund", Requests.Amount(50));
        var card = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 400, currency: "EUR"));
        Assert.Equal((201, 201, "CAPTURED", 200, "CAPTURED"), (cashIn.Status, cashOut.Status, paid.State, refund.Status, card.State));

        // Cash-in credits the wallet, cash-out and the wallet payment debit it, the refund credits it back.
        var account = $"wallet:{PlatformFixture.MerchantA}:{wallet}:EUR";
        await WaitUntilAsync(async () => await platform.ScalarAsync(
            "SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.code = $1", account) == 4,
            $"four entries on {account}");
        await WaitForPostingsAsync([card.Id], 1);

        var booked = await platform.ScalarAsync(
            "SELECT sum(CASE WHEN e.side = 'C' THEN e.amount_minor ELSE -e.amount_minor END) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.code = $1",
            account);
        var operational = (await platform.GetAsync($"/v1/wallets/{wallet}")).Json;
        Assert.Equal(1000 - 300 - 200 + 50, booked);
        Assert.Equal(booked, operational.GetProperty("available_minor").GetInt64() + operational.GetProperty("held_minor").GetInt64());
        await AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task EventsARelayPublishesAgainAfterDyingBeforeMarkingThemArePostedOnce()
    {
        var ids = await CapturedPaymentsAsync(3);
        await WaitForPostingsAsync(ids, 3);

        // What a relay that produced but died before its commit leaves behind: the rows are NEW again.
        await platform.ScalarAsync("WITH u AS (UPDATE outbox_events SET status = 'NEW', published_at = NULL WHERE agg_id = ANY($1) RETURNING 1) SELECT count(*) FROM u", ids.ToArray());
        await WaitUntilAsync(async () => await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = ANY($1) AND status <> 'PUBLISHED'", ids.ToArray()) == 0,
            "the relay publishes the rows again");
        await WaitForFeedCaughtUpAsync();

        Assert.Equal(6, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", ids.ToArray()));
        await AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task ASiloKilledWhileTheFeedIsConsumingLosesAndDoublesNoPosting()
    {
        var ids = await CapturedPaymentsAsync(12);

        await platform.KillSiloAsync();
        await platform.StartSiloAsync();

        await WaitForPostingsAsync(ids, 12);
        await WaitForFeedCaughtUpAsync();
        Assert.Equal(24, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", ids.ToArray()));
        await AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task PaymentsTakenWhileTheBrokerIsDownAreBookedOnceItIsBack()
    {
        List<Guid> ids;
        await platform.SetBrokerDownAsync(1);
        try
        {
            ids = await CapturedPaymentsAsync(3);
            Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", ids.ToArray()));
        }
        finally
        {
            await platform.SetBrokerUpAsync(1);
        }

        await WaitForPostingsAsync(ids, 3);
        await WaitForFeedCaughtUpAsync();
        Assert.Equal(6, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", ids.ToArray()));
        await AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task APoisonRecordGoesToTheDeadLetterTopicWithItsErrorAndTheFeedMovesOn()
    {
        var poisonId = Guid.NewGuid();
        await ProduceAsync("payments.events", Guid.NewGuid().ToString("D"), "{ this is not json", poisonId, "payment.captured");
        var after = await CapturedPaymentsAsync(1);

        await WaitForPostingsAsync(after, 1);
        var letter = await WaitForDeadLetterAsync(poisonId);

        Assert.Equal("payments.events", letter.GetProperty("source_topic").GetString());
        Assert.Equal("payment.captured", letter.GetProperty("event_type").GetString());
        Assert.Contains("Rejected by the ledger", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", poisonId));
    }

    [Fact]
    public async Task ReplayingDeadLettersAfterAFixPostsThemOnce()
    {
        // A record that failed earlier for a cause since fixed: valid now, waiting in the DLQ.
        var eventId = Guid.NewGuid();
        var paymentId = Guid.NewGuid();
        var payload = $$"""
            {"event_id":"{{eventId}}","event_type":"payment.captured","payment_id":"{{paymentId}}","merchant_id":"merchant-a",
             "amount_minor":321,"currency":"EUR","psp":"psp-a","psp_reference":"r1","refund_id":null,"state":"CAPTURED",
             "payment_version":3,"occurred_at":"2026-11-24T05:00:00Z"}
            """;
        await ProduceAsync("payments.events.dlq", paymentId.ToString("D"), payload, eventId, "payment.captured",
            ("dlq_error", "ledger unavailable at the time"), ("dlq_source_topic", "payments.events"));
        await WaitForDeadLetterAsync(eventId);

        var replay = await platform.SendAsync(HttpMethod.Post, "/v1/operator/dead-letters/payments.events/replay", clientId: PlatformFixture.Operator);
        var again = await platform.SendAsync(HttpMethod.Post, "/v1/operator/dead-letters/payments.events/replay", clientId: PlatformFixture.Operator);

        Assert.Equal(200, replay.Status);
        Assert.True(replay.Json.GetProperty("count").GetInt32() >= 1, replay.Text);
        await WaitForPostingsAsync([paymentId], 1);
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", eventId));
        Assert.Equal(200, again.Status);
        var listed = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/payments.events?limit=500", clientId: PlatformFixture.Operator);
        Assert.DoesNotContain(eventId.ToString("D"), listed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLettersAreForOperatorsOnlyAndOnlyForOurTopics()
    {
        var merchant = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/payments.events");
        var unknown = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/not.a.topic", clientId: PlatformFixture.Operator);
        var badLimit = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/payments.events?limit=0", clientId: PlatformFixture.Operator);

        Assert.Equal(403, merchant.Status);
        Assert.Equal((404, "NOT_FOUND"), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((400, "VALIDATION_FAILED"), (badLimit.Status, badLimit.ErrorCode));
    }

    private async Task<List<Guid>> CapturedPaymentsAsync(int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 500 + i));
            Assert.Equal("CAPTURED", created.State);
            ids.Add(created.Id);
        }

        return ids;
    }

    /// <summary>Waits until the payments' ledger entries come from exactly <paramref name="events"/> source events.</summary>
    private Task WaitForPostingsAsync(IReadOnlyList<Guid> paymentIds, int events) =>
        WaitUntilAsync(async () => await platform.ScalarAsync(
            "SELECT count(DISTINCT source_event_id) FROM ledger_entries WHERE payment_id = ANY($1)", paymentIds.ToArray()) == events,
            $"{events} postings for {paymentIds.Count} payments");

    /// <summary>Waits until the silo's consumer group has committed every partition of payments.events up to its end.</summary>
    private async Task WaitForFeedCaughtUpAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = platform.KafkaBootstrap }).Build();
        var partitions = admin.GetMetadata("payments.events", TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(p => new TopicPartition("payments.events", p.PartitionId)).ToList();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = platform.KafkaBootstrap,
            GroupId = ConsumerGroup,
            EnableAutoCommit = false,
        }).Build();
        await WaitUntilAsync(() =>
        {
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
            return Task.FromResult(committed.All(c =>
            {
                var end = consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value;
                return c.Offset.IsSpecial ? end == 0 : c.Offset.Value >= end;
            }));
        }, "the ledger feed commits payments.events to its end");
    }

    /// <summary>
    /// Balance only: completeness and the hash chain have tests of their own, and one of those removes a posting on
    /// purpose, which the shared database's chain then shows for good.
    /// </summary>
    private async Task AssertBooksBalanceAsync()
    {
        var verify = await platform.SendAsync(HttpMethod.Get, "/v1/operator/ledger/verify", clientId: PlatformFixture.Operator);
        Assert.True(verify.Status is 200 or 409, verify.ToString());
        Assert.True(verify.Json.GetProperty("balanced").GetBoolean(), verify.Text);
    }

    private async Task<System.Text.Json.JsonElement> WaitForDeadLetterAsync(Guid eventId)
    {
        System.Text.Json.JsonElement? found = null;
        await WaitUntilAsync(async () =>
        {
            var listed = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/payments.events?limit=500", clientId: PlatformFixture.Operator);
            Assert.Equal(200, listed.Status);
            found = listed.Json.GetProperty("data").EnumerateArray()
                .Where(l => l.GetProperty("event_id").GetString() == eventId.ToString("D"))
                .Select(l => (System.Text.Json.JsonElement?)l).FirstOrDefault();
            return found is not null;
        }, $"dead letter {eventId}");
        return found!.Value;
    }

    private async Task ProduceAsync(string topic, string key, string value, Guid eventId, string eventType, params (string Name, string Value)[] headers)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = platform.KafkaBootstrap, Acks = Acks.All }).Build();
        var message = new Message<string, string>
        {
            Key = key,
            Value = value,
            Headers =
            [
                new Header("event_id", Encoding.UTF8.GetBytes(eventId.ToString("D"))),
                new Header("event_type", Encoding.UTF8.GetBytes(eventType)),
                new Header("agg_type", Encoding.UTF8.GetBytes("payment")),
            ],
        };
        foreach (var (name, headerValue) in headers)
        {
            message.Headers.Add(name, Encoding.UTF8.GetBytes(headerValue));
        }

        await producer.ProduceAsync(topic, message, TestContext.Current.CancellationToken);
    }

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.Until(condition, Patience, () => $"{what}\n{platform.LogsOfSilo()}");
}
