using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// PSP notifications end to end, against the real processes: the simulator notifies, ingest stores and publishes,
/// the webhooks.in consumer hands each notification to its payment grain, and the merchant hears about it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PspNotificationFlowTests(PlatformFixture platform) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await platform.StartFromHealthyPspsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task APaymentItsPspTimedOutOnIsSettledByTheLateNotificationWithOneChargeAndTheMerchantGetsTheSignedEvent()
    {
        await using var receiver = new MerchantWebhookReceiver();
        var endpoint = await platform.PostAsync("/v1/webhook_endpoints", $$"""{"url":"{{receiver.Url}}","enabled_events":["payment.*"]}""");
        Assert.True(endpoint.Status == 201, endpoint.ToString());
        var secret = endpoint.Json.GetProperty("secret").GetString()!;
        ApiResponse created;
        var clock = new Stopwatch();
        try
        {
            await platform.SetFaultsAsync("psp-a", """{"timeout_rate":1.0}""");
            created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4_100));
            // From here PSP A refuses every connection: a status inquiry cannot settle the payment, only the notification
            // the simulator sent when it decided the outcome (while our request was still waiting) can.
            await platform.SetFaultsAsync("psp-a", """{"down":true}""");
            clock.Start();
            Assert.True(created.Status == 202, created.ToString());
            var settled = await PaymentWaits.ForStateAsync(platform, created.Id, "CAPTURED", TimeSpan.FromSeconds(15));
            clock.Stop();
            Assert.Equal(4_100, settled.Json.GetProperty("captured_minor").GetInt64());
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }

        TestContext.Current.SendDiagnosticMessage($"settled by the notification {clock.ElapsedMilliseconds} ms after the 202");
        Assert.Equal(1, await platform.PspChargeCountAsync("psp-a", created.Id));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.captured'", created.Id));

        var captured = await Eventually.Until(() => Task.FromResult(receiver.Received.FirstOrDefault(r => IsEvent(r.Body, "payment.captured", created.Id))),
            r => r.Body is not null, TimeSpan.FromSeconds(15), "the merchant's endpoint receiving payment.captured");
        Assert.True(SignatureVerifies(captured.Headers["Payments-Signature"], captured.Body, secret), captured.Headers["Payments-Signature"]);
        var eventId = JsonDocument.Parse(captured.Body).RootElement.GetProperty("id").GetString();
        Assert.Equal(eventId, captured.Headers["Payments-Event-Id"]);
        var listed = await platform.GetAsync($"/v1/events/{eventId}");
        Assert.True(listed.Status == 200, listed.ToString());
        Assert.Equal(404, (await platform.GetAsync($"/v1/events/{eventId}", clientId: PlatformFixture.MerchantB)).Status);
        Assert.Equal(204, (await platform.SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{endpoint.Id}")).Status);
    }

    [Fact]
    public async Task EachNotificationDeliveredFiveTimesIsStoredOnceAndAStaleOneNeverTakesACapturedPaymentBack()
    {
        ApiResponse created;
        try
        {
            await platform.SetWebhookFaultsAsync("psp-a", """{"duplicates":4}""");
            created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 2_200, capture: false));
            Assert.True(created.Status == 201, created.ToString());
            var capture = await platform.PostAsync($"/v1/payments/{created.Id}/capture", null);
            Assert.True(capture.Status == 200, capture.ToString());
            // The authorisation's and the capture's notifications, five copies each, all in.
            await Eventually.Until(async () => await platform.ScalarAsync(
                    "SELECT count(*) FROM webhooks_in WHERE payment_id = $1 AND kind IN ('authorized', 'captured')", created.Id) == 2,
                TimeSpan.FromSeconds(15), "both notifications stored");
        }
        finally
        {
            await platform.ResetWebhookFaultsAsync("psp-a");
        }

        // Five deliveries of each notification were answered; one row each, one event each on the payment.
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(DISTINCT provider_event_id) FROM webhooks_in WHERE payment_id = $1", created.Id));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.captured'", created.Id));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE payment_id = $1", created.Id));
        var version = await platform.ScalarAsync("SELECT version FROM payments WHERE id = $1", created.Id);

        // A stale copy of the authorisation, signed by PSP A, arriving after the capture.
        var payment = (await platform.GetAsync($"/v1/payments/{created.Id}")).Json;
        var stale = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            id = $"evt_stale_{Guid.NewGuid():N}",
            type = "payment.authorized",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            data = new { @object = new
            {
                @object = "payment", id = payment.GetProperty("psp_reference").GetString(), reference = created.Id.ToString("N"), status = "authorized",
                amount = 2_200, currency = "USD", captured_amount = 0, refunded_amount = 0, decline_reason = (string?)null,
            } },
        }));
        var answer = await platform.PostWebhookAsync("psp-a", stale, PspASignature(stale, platform.WebhookSecrets["psp-a"]));
        Assert.True(answer.Status == 200, answer.ToString());
        await Eventually.Until(async () => await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE payment_id = $1", created.Id) == 3,
            TimeSpan.FromSeconds(10), "the stale notification stored");
        // Processed after the ones before it (same key, same partition): once a later record of the partition is
        // processed, so is this one. A second payment's capture is that later record.
        var later = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 2_201));
        await Eventually.Until(async () => await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE payment_id = $1", later.Id) >= 1,
            TimeSpan.FromSeconds(10), "a later notification stored");

        var after = await platform.GetAsync($"/v1/payments/{created.Id}");
        Assert.Equal("CAPTURED", after.State);
        Assert.Equal(version, await platform.ScalarAsync("SELECT version FROM payments WHERE id = $1", created.Id));
    }

    [Fact]
    public async Task ANotificationThatContradictsAPaymentOpensAT0ReconciliationBreakWithinSecondsAndChangesNothing()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3_300));
        Assert.True(created.Status == 201, created.ToString());
        var payment = (await platform.GetAsync($"/v1/payments/{created.Id}")).Json;
        var eventId = $"evt_contra_{Guid.NewGuid():N}";
        // PSP A says it captured 3,000 of a payment we captured for 3,300.
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            id = eventId,
            type = "payment.captured",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            data = new { @object = new
            {
                @object = "payment", id = payment.GetProperty("psp_reference").GetString(), reference = created.Id.ToString("N"), status = "captured",
                amount = 3_300, currency = "USD", captured_amount = 3_000, refunded_amount = 0, decline_reason = (string?)null,
            } },
        }));
        var clock = Stopwatch.StartNew();
        var answer = await platform.PostWebhookAsync("psp-a", body, PspASignature(body, platform.WebhookSecrets["psp-a"]));
        Assert.True(answer.Status == 200, answer.ToString());

        await Eventually.Until(async () => await platform.ScalarAsync(
                "SELECT count(*) FROM reconciliation_breaks WHERE dedupe_key = $1 AND payment_id = $2 AND status = 'open' AND actual_minor = 3000",
                $"t0:psp-a:{eventId}", created.Id) == 1,
            TimeSpan.FromSeconds(10), "the T+0 break opened");
        TestContext.Current.SendDiagnosticMessage($"T+0 break open {clock.ElapsedMilliseconds} ms after the PSP's notification was acknowledged");
        var after = await platform.GetAsync($"/v1/payments/{created.Id}");
        Assert.Equal(("CAPTURED", 3_300L), (after.State, after.Json.GetProperty("captured_minor").GetInt64()));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE provider_event_id = $1", eventId));
    }

    private static bool IsEvent(byte[] body, string type, Guid paymentId)
    {
        var root = JsonDocument.Parse(body).RootElement;
        return root.GetProperty("type").GetString() == type
            && root.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == paymentId.ToString();
    }

    /// <summary>What a merchant does with the header: <c>t=…,v1=…</c>, HMAC-SHA256 over "t.body" keyed with the whole secret.</summary>
    private static bool SignatureVerifies(string header, byte[] body, string secret)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToLookup(p => p[0], p => p[1]);
        var t = parts["t"].Single();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray()));
        return parts["v1"].Any(v => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(v), Encoding.ASCII.GetBytes(expected)));
    }

    private static Dictionary<string, string> PspASignature(byte[] body, string secret)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray()));
        return new Dictionary<string, string> { ["X-Request-Signature"] = $"t={t},v1={v1}" };
    }
}
