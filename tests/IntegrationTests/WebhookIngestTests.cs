using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// PSP notifications over HTTP against the running platform: a signed delivery is stored (row, raw blob, outbox event
/// published to webhooks.in) before it is answered 200; a re-delivery changes nothing; every refusal answers in the
/// error model and writes nothing to webhooks_in; a failing blob store answers 503 and the retry succeeds.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookIngestTests(PlatformFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ASignedPspANotificationIsStoredWithItsRawBodyAndPublishedToWebhooksInBeforeItIsAnswered()
    {
        var (eventId, payment, body) = Requests.PspACaptureNotification();

        var answer = await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, platform.WebhookSecrets["psp-a"]));

        Assert.True(answer.Status == 200, answer.ToString());
        Assert.True(answer.Json.GetProperty("received").GetBoolean());
        Assert.False(answer.Json.GetProperty("duplicate").GetBoolean());
        var id = answer.Id;
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE notification_id = $1 AND provider_event_id = $2 " +
            "AND kind = 'captured' AND payment_id = $3 AND amount_minor = 1000", id, eventId, payment));
        Assert.Equal(body, await File.ReadAllBytesAsync(await BlobPathAsync(id), TestContext.Current.CancellationToken));
        // Not a money event: the ledger's completeness check (agg_type payment or wallet only) never asks for its posting.
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM ledger_completeness_problems(interval '0') WHERE event_id = $1", id));

        var record = ConsumeUntil(r => r.Message.Key == payment.ToString("D"));
        Assert.Equal((id.ToString("D"), "psp_notification.received", "psp_notification"),
            (Header(record, "event_id"), Header(record, "event_type"), Header(record, "agg_type")));
        var payload = JsonDocument.Parse(record.Message.Value).RootElement;
        Assert.Equal(("psp-a", eventId, "captured", 1000L), (payload.GetProperty("provider").GetString(), payload.GetProperty("provider_event_id").GetString(),
            payload.GetProperty("kind").GetString(), payload.GetProperty("amount_minor").GetInt64()));
    }

    [Fact]
    public async Task TheSameNotificationDeliveredFiveTimesIsOneRowAndEveryAnswerNamesIt()
    {
        var (eventId, _, body) = Requests.PspACaptureNotification();
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, platform.WebhookSecrets["psp-a"])));
        }

        Assert.All(answers, a => Assert.True(a.Status == 200, a.ToString()));
        Assert.Equal([false, true, true, true, true], answers.Select(a => a.Json.GetProperty("duplicate").GetBoolean()));
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE provider_event_id = $1", eventId));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE payload->>'provider_event_id' = $1", eventId));
    }

    [Fact]
    public async Task PspBAndBankNotificationsAndOneSignedWithPspAsPreviousSecretAreStored()
    {
        var now = DateTimeOffset.UtcNow;
        var (pspBEvent, pspB) = PspBRefund();
        var timestamp = WebhookSigning.PspBTimestamp(now);
        var (bankEvent, bank) = BankBooked();
        var (pspAEvent, _, pspA) = Requests.PspACaptureNotification();

        var answers = new[]
        {
            await platform.PostWebhookAsync("psp-b", pspB, new Dictionary<string, string>
            {
                [WebhookSigning.PspBTimestampHeader] = timestamp,
                [WebhookSigning.PspBSignatureHeader] = WebhookSigning.PspB(timestamp, pspB, platform.WebhookSecrets["psp-b"]),
            }),
            await platform.PostWebhookAsync("bank", bank, new Dictionary<string, string>
            {
                [WebhookSigning.BankHeader] = WebhookSigning.Bank(PlatformFixture.BankWebhookKeyId, platform.WebhookSecrets["bank"], now.ToUnixTimeSeconds(), bank),
            }),
            await platform.PostWebhookAsync("psp-a", pspA, WebhookSigning.PspAHeaders(pspA, now, platform.PspAPreviousWebhookSecret)),
        };

        Assert.All(answers, a => Assert.True(a.Status == 200, a.ToString()));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE provider = 'psp-b' AND provider_event_id = $1 AND kind = 'refunded'", pspBEvent));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE provider = 'bank' AND provider_event_id = $1 AND kind = 'transfer_booked' " +
            "AND amount_minor = 1250", bankEvent));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE provider = 'psp-a' AND provider_event_id = $1", pspAEvent));
    }

    [Fact]
    public async Task EveryRefusalAnswersInTheErrorModelIsAuditedWhenItCameFromAnAllowedSourceAndStoresNothing()
    {
        var now = DateTimeOffset.UtcNow;
        var secret = platform.WebhookSecrets["psp-a"];
        var (badSignature, forgedBody) = (Requests.PspACaptureNotification(), Requests.PspACaptureNotification());
        var (staleEvent, staleBody) = PspBRefund();
        var (unsignedEvent, unsignedBody) = BankBooked();
        var (forbidden, _, forbiddenBody) = Requests.PspACaptureNotification();
        var tooLarge = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 64 * 1024) + "\"}");
        var staleTimestamp = WebhookSigning.PspBTimestamp(now.AddMinutes(-10));

        var forged = await platform.PostWebhookAsync("psp-a", badSignature.Body, WebhookSigning.PspAHeaders(badSignature.Body, now, "not-our-secret"));
        var stale = await platform.PostWebhookAsync("psp-b", staleBody, new Dictionary<string, string>
        {
            [WebhookSigning.PspBTimestampHeader] = staleTimestamp,
            [WebhookSigning.PspBSignatureHeader] = WebhookSigning.PspB(staleTimestamp, staleBody, platform.WebhookSecrets["psp-b"]),
        });
        var unsigned = await platform.PostWebhookAsync("bank", unsignedBody, new Dictionary<string, string>());
        var large = await platform.PostWebhookAsync("psp-a", tooLarge, WebhookSigning.PspAHeaders(tooLarge, now, secret));
        var unknown = await platform.PostWebhookAsync("psp-z", forgedBody.Body, WebhookSigning.PspAHeaders(forgedBody.Body, now, secret));
        var outsider = await platform.PostWebhookAsync("psp-a", forbiddenBody,
            new Dictionary<string, string>(WebhookSigning.PspAHeaders(forbiddenBody, now, secret)) { ["X-Forwarded-For"] = "127.0.0.1" }, PlatformFixture.ForbiddenSource);

        AssertError(forged, 401, "WEBHOOK_SIGNATURE_INVALID");
        AssertError(stale, 401, "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE");
        AssertError(unsigned, 401, "WEBHOOK_SIGNATURE_INVALID");
        AssertError(large, 413, "WEBHOOK_BODY_TOO_LARGE");
        AssertError(unknown, 404, "WEBHOOK_PROVIDER_UNKNOWN");
        AssertError(outsider, 403, "WEBHOOK_SOURCE_FORBIDDEN");
        Assert.Equal(1, await RejectedAsync("psp-a", "signature_invalid", Sha256(badSignature.Body)));
        Assert.Equal(1, await RejectedAsync("psp-b", "timestamp_out_of_tolerance", Sha256(staleBody)));
        Assert.Equal(1, await RejectedAsync("bank", "signature_invalid", Sha256(unsignedBody)));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_rejected WHERE provider = 'psp-a' AND reason = 'body_too_large' " +
            "AND body_sha256 IS NULL AND body_bytes > 65536 AND remote_address = '127.0.0.1'::inet"));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM webhooks_rejected WHERE body_sha256 = ANY($1)",
            (object)new[] { Sha256(forgedBody.Body), Sha256(forbiddenBody) }));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE provider_event_id = ANY($1) OR body_sha256 = ANY($2)",
            new[] { badSignature.EventId, staleEvent, unsignedEvent, forbidden, forgedBody.EventId }, new[] { Sha256(tooLarge) }));
        Assert.DoesNotContain(secret, await platform.ScalarTextAsync("SELECT string_agg(headers::text, ' ') FROM webhooks_rejected"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileTheBlobStoreFailsADeliveryGets503AndNothingIsStoredAndTheRetryOnceItIsBackGets200()
    {
        var (eventId, _, body) = Requests.PspACaptureNotification();
        var blobs = platform.BlobDirectory;
        var away = blobs + ".away";
        if (Directory.Exists(blobs))
        {
            Directory.Move(blobs, away);
        }

        ApiResponse refused;
        try
        {
            // A file where the store's directory should be: every put fails, as on a broken or read-only disk (root ignores modes).
            await File.WriteAllTextAsync(blobs, "in the way", TestContext.Current.CancellationToken);
            refused = await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, platform.WebhookSecrets["psp-a"]));
        }
        finally
        {
            File.Delete(blobs);
            if (Directory.Exists(away))
            {
                Directory.Move(away, blobs);
            }
        }

        AssertError(refused, 503, "WEBHOOK_STORE_UNAVAILABLE", retryable: true);
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in_keys WHERE provider_event_id = $1", eventId));

        var retried = await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, platform.WebhookSecrets["psp-a"]));

        Assert.True(retried.Status == 200, retried.ToString());
        Assert.False(retried.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(body, await File.ReadAllBytesAsync(await BlobPathAsync(retried.Id), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheSiloExportsWebhookMetricsAndTheOpenApiDocumentDescribesTheEndpointWithoutOAuth()
    {
        var (_, _, body) = Requests.PspACaptureNotification();
        Assert.Equal(200, (await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, platform.WebhookSecrets["psp-a"]))).Status);
        Assert.Equal(401, (await platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, "wrong"))).Status);

        var metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("payments_webhooks_received_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"signature_invalid\"", metrics, StringComparison.Ordinal);
        Assert.Contains("payments_webhooks_ingest_duration_seconds_bucket{", metrics, StringComparison.Ordinal);

        var document = JsonDocument.Parse(await platform.Http.GetStringAsync($"{platform.ApiUrl}/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var operation = document.GetProperty("paths").GetProperty("/v1/webhooks/psp/{provider}").GetProperty("post");
        Assert.Equal("webhooks", operation.GetProperty("tags")[0].GetString());
        Assert.True(!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0);
        var headers = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("X-Request-Signature", headers);
        Assert.Contains("X-PSPB-Signature", headers);
        Assert.Contains("X-Bank-Signature", headers);
        Assert.DoesNotContain("Idempotency-Key", headers);
        Assert.All(new[] { "200", "401", "403", "404", "413", "503" }, status => Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), status));
    }

    [Fact]
    public async Task ThePspSimulatorsOwnNotificationsOfAPaymentAndACashInAreVerifiedParsedAndStored()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4321));
        Assert.True(created.Status == 201, created.ToString());
        var wallet = $"w-{Guid.NewGuid():N}"[..16];
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":1250,"currency":"EUR"}""");
        Assert.True(cashIn.Status is 201 or 202, cashIn.ToString());

        // Signed by the simulator with its secrets (PSP A with its previous one too), sent to the silo's ingest, parsed from its own bodies.
        await Eventually.Until(async () => await platform.ScalarAsync(
            "SELECT count(*) FROM webhooks_in WHERE payment_id = $1 AND kind = 'captured' AND amount_minor = 4321 AND parse_error IS NULL", created.Id) == 1,
            Patience, () => $"the PSP's capture notification of {created.Id} stored\n{platform.LogsOfSilo()}");
        await Eventually.Until(async () => await platform.ScalarAsync(
            "SELECT count(*) FROM webhooks_in WHERE provider = 'bank' AND kind = 'transfer_booked' AND amount_minor = 1250 AND transfer_ref IS NOT NULL " +
            "AND received_at >= $1", since) >= 1, Patience, () => $"the Bank's notification of the cash-in stored\n{platform.LogsOfSilo()}");
        // None of these notifications was refused on the way (other tests' deliberate refusals are audited in the same table).
        Assert.Equal(0, await platform.ScalarAsync(
            "SELECT count(*) FROM webhooks_rejected r JOIN webhooks_in w ON w.body_sha256 = r.body_sha256 " +
            "WHERE w.received_at >= $1 AND (w.payment_id = $2 OR (w.provider = 'bank' AND w.amount_minor = 1250))", since, created.Id));
    }

    private static void AssertError(ApiResponse response, int status, string code, bool retryable = false)
    {
        Assert.True(response.Status == status, $"expected {status} {code}: {response}");
        Assert.Equal(code, response.ErrorCode);
        Assert.Equal(retryable, response.Json.GetProperty("retryable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("correlation_id").GetString()));
    }

    private Task<long> RejectedAsync(string provider, string reason, string sha256) =>
        platform.ScalarAsync("SELECT count(*) FROM webhooks_rejected WHERE provider = $1 AND reason = $2 AND body_sha256 = $3 " +
            "AND remote_address = '127.0.0.1'::inet AND headers ? 'content-type'", provider, reason, sha256);

    private async Task<string> BlobPathAsync(Guid notificationId)
    {
        var key = await platform.ScalarTextAsync("SELECT blob_key FROM webhooks_in WHERE notification_id = $1", notificationId);
        return Path.Combine(platform.BlobDirectory, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static (string EventId, byte[] Body) PspBRefund()
    {
        var eventId = $"N{Guid.NewGuid():N}";
        return (eventId, Encoding.UTF8.GetBytes($$"""
            {"notificationId":"{{eventId}}","eventCode":"REFUND","success":true,"eventDate":"2026-12-03T10:00:00Z",
             "merchantTxnId":"{{Guid.CreateVersion7():N}}","txnId":"B1","pspReference":"B1:R1","amountCents":300,"ccy":"EUR",
             "responseCode":"00","reason":null,"defenseDeadline":null}
            """));
    }

    private static (string EventId, byte[] Body) BankBooked()
    {
        var eventId = $"BN{Guid.NewGuid():N}";
        return (eventId, Encoding.UTF8.GetBytes($$"""
            {"notification_id":"{{eventId}}","event":"transfer.booked","occurred_at":"2026-12-03T10:00:00Z",
             "transfer":{"bank_transfer_id":"BT1","transfer_ref":"tr-{{Guid.NewGuid():N}}","direction":"CREDIT","state":"BOOKED","reason_code":null,
                         "value":{"amount":"12.50","currency":"EUR"} } }
            """));
    }

    private ConsumeResult<string, byte[]> ConsumeUntil(Func<ConsumeResult<string, byte[]>, bool> match)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = platform.KafkaBootstrap,
            GroupId = $"it-webhooks-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("webhooks.in");
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { IsPartitionEOF: false } result && match(result))
            {
                consumer.Close();
                return result;
            }
        }

        consumer.Close();
        Assert.Fail($"No matching record on webhooks.in within {Patience.TotalSeconds} s\n{platform.LogsOfSilo()}");
        return null!;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) => Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
