using System.Security.Cryptography;
using System.Text;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Webhooks;

namespace Payments.Actors.GrainTests;

/// <summary>
/// Store then acknowledge through the real ingest grain, PostgreSQL and file blob store: what one delivery writes and in
/// how many transactions, what a re-delivery writes (nothing), and what a failing blob store or database leaves behind.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class WebhookIngestTests(GrainClusterFixture cluster)
{
    [Fact]
    public async Task ANotificationIsStoredAsItsBlobItsRowAndItsOutboxEventCommittedInOneTransaction()
    {
        var (eventId, payment, body) = PspACapture();

        var result = await IngestAsync("psp-a", body);

        Assert.Equal((WebhookIngestOutcome.Stored, (string?)null), (result.Outcome, result.ParseError));
        var id = result.NotificationId!.Value;
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM webhooks_in WHERE notification_id = $1 AND provider = 'psp-a' AND provider_event_id = $2 " +
            "AND kind = 'captured' AND payment_id = $3 AND amount_minor = 1000 AND currency = 'EUR' AND psp_reference = 'pa_9' AND parse_error IS NULL " +
            "AND body_sha256 = $4 AND body_bytes = $5", id, eventId, payment, Sha256(body), body.Length));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox_events WHERE id = $1 AND agg_type = 'psp_notification' AND agg_id = $2 " +
            "AND event_type = 'psp_notification.received' AND payload->>'kind' = 'captured' AND payload->>'provider_event_id' = $3", id, payment, eventId));
        Assert.Equal(1, await CountAsync(
            "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM webhooks_in_keys WHERE notification_id = $1 " +
            "UNION ALL SELECT xmin::text FROM webhooks_in WHERE notification_id = $1 UNION ALL SELECT xmin::text FROM outbox_events WHERE id = $1) t", id));
        Assert.Equal(body, await cluster.Blobs.GetAsync(await BlobKeyAsync(id), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheSameNotificationDeliveredFifteenTimesFiveConcurrentlyIsStoredOnceAndEveryAnswerNamesTheSameId()
    {
        var (eventId, _, body) = PspACapture();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => IngestAsync("psp-a", body)));
        var sequential = new List<WebhookIngestResult>();
        for (var i = 0; i < 10; i++)
        {
            sequential.Add(await IngestAsync("psp-a", body));
        }

        var all = concurrent.Concat(sequential).ToList();
        Assert.Equal(1, all.Count(r => r.Outcome == WebhookIngestOutcome.Stored));
        Assert.Equal(14, all.Count(r => r.Outcome == WebhookIngestOutcome.Duplicate));
        Assert.Single(all.Select(r => r.NotificationId).Distinct());
        Assert.Equal((1L, 1L, 1L), (await CountAsync("SELECT count(*) FROM webhooks_in_keys WHERE provider_event_id = $1", eventId),
            await CountAsync("SELECT count(*) FROM webhooks_in WHERE provider_event_id = $1", eventId),
            await CountAsync("SELECT count(*) FROM outbox_events WHERE id = $1", all[0].NotificationId!.Value)));
    }

    [Fact]
    public async Task WhenTheBlobStoreFailsNothingIsWrittenAndTheRetryOnceItIsBackStoresTheNotification()
    {
        var (eventId, _, body) = PspACapture();
        cluster.Blobs.Failing = true;
        WebhookIngestResult failed;
        try
        {
            failed = await IngestAsync("psp-a", body);
        }
        finally
        {
            cluster.Blobs.Failing = false;
        }

        Assert.Equal((WebhookIngestOutcome.StoreUnavailable, (Guid?)null), (failed.Outcome, failed.NotificationId));
        Assert.Equal(0, await CountAsync("SELECT (SELECT count(*) FROM webhooks_in_keys WHERE provider_event_id = $1) + " +
            "(SELECT count(*) FROM webhooks_in WHERE provider_event_id = $1) + (SELECT count(*) FROM outbox_events WHERE payload->>'provider_event_id' = $1)", eventId));

        var retried = await IngestAsync("psp-a", body);

        Assert.Equal(WebhookIngestOutcome.Stored, retried.Outcome);
        Assert.Equal(body, await cluster.Blobs.GetAsync(await BlobKeyAsync(retried.NotificationId!.Value), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WhenPostgreSqlFailsAfterTheBlobIsWrittenTheBlobStaysButNoRowOrEventExistsUntilTheRetry()
    {
        var (eventId, _, body) = PspACapture();
        var function = $"refuse_{Guid.NewGuid():N}";
        await cluster.Database.ExecuteAsync(
            $"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.provider_event_id = '{eventId}' THEN " +
            $"RAISE EXCEPTION 'injected: the database refuses this row'; END IF; RETURN NEW; END $$; " +
            $"CREATE TRIGGER {function} BEFORE INSERT ON webhooks_in FOR EACH ROW EXECUTE FUNCTION {function}()");
        WebhookIngestResult failed;
        try
        {
            failed = await IngestAsync("psp-a", body);
        }
        finally
        {
            await cluster.Database.ExecuteAsync($"DROP TRIGGER {function} ON webhooks_in; DROP FUNCTION {function}()");
        }

        Assert.Equal(WebhookIngestOutcome.StoreUnavailable, failed.Outcome);
        var blob = WebhookIngestGrain.BlobKeyOf("psp-a", cluster.Clock.GetUtcNow(), Sha256(body));
        Assert.Equal(body, await cluster.Blobs.GetAsync(blob, TestContext.Current.CancellationToken));
        Assert.Equal(0, await CountAsync("SELECT (SELECT count(*) FROM webhooks_in_keys WHERE provider_event_id = $1) + " +
            "(SELECT count(*) FROM webhooks_in WHERE provider_event_id = $1) + (SELECT count(*) FROM outbox_events WHERE payload->>'provider_event_id' = $1)", eventId));

        var retried = await IngestAsync("psp-a", body);

        Assert.Equal(WebhookIngestOutcome.Stored, retried.Outcome);
        Assert.Equal(blob, await BlobKeyAsync(retried.NotificationId!.Value));
    }

    [Fact]
    public async Task ASignedBodyThatCannotBeParsedIsStoredUnderItsHashAndPublishedAsUnparseable()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"id\":\"{Guid.NewGuid():N}\",\"type\":\"payment.teleported\",\"created\":1764770000,\"data\":{{\"object\":{{}}}}}}");

        var result = await IngestAsync("psp-a", body);

        Assert.Equal(WebhookIngestOutcome.Stored, result.Outcome);
        Assert.Contains("payment.teleported", result.ParseError, StringComparison.Ordinal);
        var id = result.NotificationId!.Value;
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM webhooks_in WHERE notification_id = $1 AND provider_event_id = $2 AND kind IS NULL " +
            "AND parse_error IS NOT NULL", id, "sha256:" + Sha256(body)));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox_events WHERE id = $1 AND agg_id = $1 AND event_type = 'psp_notification.unparseable' " +
            "AND payload->>'parse_error' LIKE '%teleported%' AND payload->>'blob_key' LIKE 'webhooks/psp-a/%'", id));
        Assert.Equal(WebhookIngestOutcome.Duplicate, (await IngestAsync("psp-a", body)).Outcome);
    }

    [Fact]
    public async Task ABankNotificationIsKeyedByItsTransferOnWebhooksIn()
    {
        var transfer = $"tr-{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes($$"""
            {"notification_id":"BN-{{Guid.NewGuid():N}}","event":"transfer.booked","occurred_at":"2026-12-03T10:00:00Z",
             "transfer":{"bank_transfer_id":"BT1","transfer_ref":"{{transfer}}","direction":"CREDIT","state":"BOOKED","reason_code":null,
                         "value":{"amount":"12.50","currency":"EUR"} } }
            """);

        var result = await IngestAsync("bank", body);

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox_events WHERE id = $1 AND agg_id = $2 AND payload->>'transfer_ref' = $3 " +
            "AND (payload->>'amount_minor')::bigint = 1250", result.NotificationId!.Value, WebhookStore.TransferKeyOf(transfer), transfer));
    }

    [Fact]
    public async Task NotificationsHaveMonthlyPartitionsFromThisMonthOnAndTheDatabaseRefusesASecondRowOfAnEventInAnotherMonth()
    {
        var (eventId, _, body) = PspACapture();
        var stored = await IngestAsync("psp-a", body);
        var partitions = await CountAsync(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'webhooks_in'::regclass " +
            "AND c.relname IN (SELECT format('webhooks_in_%s', to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m), 'YYYY_MM')) " +
            "FROM generate_series(0, 3) m)");

        Assert.Equal(4, partitions);
        var second = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cluster.Database.ExecuteAsync(
            "INSERT INTO webhooks_in (provider, provider_event_id, received_at, notification_id, parse_error, blob_key, body_sha256, body_bytes) " +
            $"SELECT provider, provider_event_id, received_at + interval '1 month', gen_random_uuid(), 'copy', blob_key, body_sha256, body_bytes " +
            $"FROM webhooks_in WHERE notification_id = '{stored.NotificationId}'"));
        Assert.Equal("23503", second.SqlState); // foreign key: the event's one keys row names the first row's month
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM webhooks_in WHERE provider_event_id = $1", eventId));
    }

    [Fact]
    public async Task ARefusedDeliveryIsAuditedWithItsSourceHashAndHeaders()
    {
        var sha = Sha256(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()));

        await cluster.Client.GetGrain<IWebhookIngestGrain>("psp-b").RecordRejectionAsync(new WebhookRejection("psp-b", WebhookRejectionReasons.SignatureInvalid,
            "203.0.113.9", sha, 321, new Dictionary<string, string> { ["x-pspb-signature"] = "AAAA" }));

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM webhooks_rejected WHERE provider = 'psp-b' AND reason = 'signature_invalid' " +
            "AND remote_address = '203.0.113.9'::inet AND body_sha256 = $1 AND body_bytes = 321 AND headers->>'x-pspb-signature' = 'AAAA'", sha));
    }

    private Task<WebhookIngestResult> IngestAsync(string provider, byte[] body) =>
        cluster.Client.GetGrain<IWebhookIngestGrain>(provider).IngestAsync(new WebhookDelivery(provider, body));

    private Task<long> CountAsync(string sql, params object[] values) => cluster.Database.ScalarAsync(sql, values);

    private async Task<string> BlobKeyAsync(Guid notificationId)
    {
        await using var command = cluster.Database.DataSource.CreateCommand("SELECT blob_key FROM webhooks_in WHERE notification_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = notificationId });
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static (string EventId, Guid Payment, byte[] Body) PspACapture()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var payment = Guid.CreateVersion7();
        var body = Encoding.UTF8.GetBytes($$"""
            {"id":"{{eventId}}","type":"payment.captured","created":1764770000,
             "data":{"object":{"object":"payment","id":"pa_9","reference":"{{payment:N}}","status":"captured","amount":1000,"currency":"EUR",
                               "captured_amount":1000,"refunded_amount":0,"decline_reason":null} } }
            """);
        return (eventId, payment, body);
    }

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
