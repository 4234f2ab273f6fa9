namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Every operation of the served document, merchant, operator and PSP alike, is called through the checked client at least
/// once with a success and once with a failure, whatever other tests ran before: the test records what this test alone
/// exercised and compares it with the document's operations, so an operation added to the API without a scenario here
/// fails it, and each call's exchange is checked against the document like every other.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiCoverageTests(PlatformFixture platform)
{
    private const string BookedIban = "DE89370400440532013000";
    private const string Operator = PlatformFixture.Operator;

    [Fact]
    public async Task EveryOperationOfTheDocumentIsAnsweredWithASuccessAndAFailureThroughTheCheckedClient()
    {
        using var coverage = ContractLedger.BeginCoverage();

        await TokenAsync();
        var paymentId = await PaymentsAsync();
        await WalletsAsync();
        await PspsAsync();
        await LedgerAsync(paymentId);
        await EventsAsync();
        await PspWebhooksAsync();
        await DisputesAsync();
        await MerchantEventsAsync();
        await WebhookEndpointsAsync();
        await ReconciliationBreaksAsync();

        var seen = coverage.Seen;
        var missing = platform.Contract.Operations
            .Select(o => (Operation: o, Statuses: seen.GetValueOrDefault(o.OperationId) ?? []))
            .Where(o => !o.Statuses.Any(s => s is >= 200 and < 300) || !o.Statuses.Any(s => s is >= 400 and < 500))
            .Select(o => $"{o.Operation}: answered [{string.Join(", ", o.Statuses.Order())}]")
            .ToList();
        Assert.True(platform.Contract.Operations.Count > 25, $"the document has only {platform.Contract.Operations.Count} operations");
        Assert.True(missing.Count == 0, "operations not exercised with a 2xx and a 4xx:\n" + string.Join("\n", missing));
    }

    private static async Task<ApiResponse> Expect(string what, Task<ApiResponse> call, params int[] statuses)
    {
        var response = await call;
        Assert.True(statuses.Contains(response.Status), $"{what}: expected {string.Join(" or ", statuses)}, got {response}");
        return response;
    }

    private async Task ReconciliationBreaksAsync()
    {
        const string Path = "/v1/operator/reconciliation/breaks";
        var (first, second) = (await Breaks.SeedAsync(platform), await Breaks.SeedAsync(platform, "missing_at_psp"));
        await Expect("list breaks", platform.GetAsync($"{Path}?status=open&limit=5", clientId: Operator), 200);
        await Expect("list breaks by an unknown status", platform.GetAsync($"{Path}?status=lost", clientId: Operator), 400);
        await Expect("get a break", platform.GetAsync($"{Path}/{first}", clientId: Operator), 200);
        await Expect("get an unknown break", platform.GetAsync($"{Path}/{Guid.CreateVersion7()}", clientId: Operator), 404);
        await Expect("acknowledge", platform.PostAsync($"{Path}/{first}/acknowledge", null, clientId: Operator), 200);
        await Expect("acknowledge again", platform.PostAsync($"{Path}/{first}/acknowledge", null, clientId: Operator), 409);
        await Expect("resolve without a reason", platform.PostAsync($"{Path}/{first}/resolve", "{}", clientId: Operator), 400);
        await Expect("resolve", platform.PostAsync($"{Path}/{first}/resolve", """{"reason":"PSP corrected its file"}""", clientId: Operator), 200);
        await Expect("write off a resolved break", platform.PostAsync($"{Path}/{first}/write_off", """{"reason":"x"}""", clientId: Operator), 409);
        await Expect("write off", platform.PostAsync($"{Path}/{second}/write_off", """{"reason":"below the threshold"}""", clientId: Operator), 200);
    }

    private async Task TokenAsync()
    {
        await Expect("token", platform.RequestTokenAsync(PlatformFixture.MerchantA), 200);
        await Expect("token with a wrong secret", platform.RequestTokenAsync(PlatformFixture.MerchantA, secret: "wrong"), 401);
    }

    private async Task<Guid> PaymentsAsync()
    {
        var created = await Expect("create", platform.PostAsync("/v1/payments", Requests.Payment(capture: false)), 201);
        await Expect("create with a string amount", platform.PostAsync("/v1/payments", """{"amount_minor":"12","currency":"USD"}"""), 400);
        await Expect("list", platform.GetAsync("/v1/payments?limit=5"), 200);
        await Expect("list with a bad limit", platform.GetAsync("/v1/payments?limit=abc"), 400);
        await Expect("get", platform.GetAsync($"/v1/payments/{created.Id}"), 200);
        await Expect("get an unknown payment", platform.GetAsync($"/v1/payments/{Guid.CreateVersion7()}"), 404);
        await Expect("capture", platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(600)), 200);
        await Expect("capture again", platform.PostAsync($"/v1/payments/{created.Id}/capture", null), 409);
        await Expect("refund", platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(100)), 200);
        await Expect("refund beyond the capture", platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(1_000_000)), 422);
        var other = await Expect("create to void", platform.PostAsync("/v1/payments", Requests.Payment(capture: false)), 201);
        await Expect("void", platform.PostAsync($"/v1/payments/{other.Id}/void", null), 200);
        await Expect("void again", platform.PostAsync($"/v1/payments/{other.Id}/void", null), 409);
        return created.Id;
    }

    private async Task WalletsAsync()
    {
        var wallet = $"/v1/wallets/w-{Guid.NewGuid():N}"[..32];
        var transfer = $$"""{"amount_minor":1000,"currency":"EUR","iban":"{{BookedIban}}"}""";
        await Expect("cash-in", platform.PostAsync($"{wallet}/cashin", transfer), 201);
        await Expect("cash-in of nothing", platform.PostAsync($"{wallet}/cashin", """{"amount_minor":0,"currency":"EUR"}"""), 400);
        await Expect("get the wallet", platform.GetAsync(wallet), 200);
        await Expect("get an unknown wallet", platform.GetAsync($"/v1/wallets/w-{Guid.NewGuid():N}"[..32]), 404);
        await Expect("cash-out", platform.PostAsync($"{wallet}/cashout", transfer.Replace("1000", "100", StringComparison.Ordinal)), 201, 202);
        await Expect("cash-out beyond the balance", platform.PostAsync($"{wallet}/cashout", transfer.Replace("1000", "1000000", StringComparison.Ordinal)), 422);
        var hold = """{"amount_minor":100,"currency":"EUR","expires_in_seconds":600}""";
        var first = await Expect("hold", platform.PostAsync($"{wallet}/holds", hold), 201);
        await Expect("hold beyond the balance", platform.PostAsync($"{wallet}/holds", hold.Replace("100", "1000000", StringComparison.Ordinal)), 422);
        var firstHold = $"{wallet}/holds/{first.Json.GetProperty("id").GetString()}";
        await Expect("capture the hold", platform.PostAsync($"{firstHold}/capture", Requests.Amount(50)), 200);
        await Expect("capture the hold again", platform.PostAsync($"{firstHold}/capture", null), 409);
        var second = await Expect("another hold", platform.PostAsync($"{wallet}/holds", hold), 201);
        var secondHold = $"{wallet}/holds/{second.Json.GetProperty("id").GetString()}";
        await Expect("release the hold", platform.PostAsync($"{secondHold}/release", null), 200);
        await Expect("release the hold again", platform.PostAsync($"{secondHold}/release", null), 409);
    }

    private async Task PspsAsync()
    {
        await Expect("list PSPs", platform.GetAsync("/v1/operator/psps", clientId: Operator), 200);
        await Expect("list PSPs as a merchant", platform.GetAsync("/v1/operator/psps"), 403);
        await Expect("enable PSP B", platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-b", """{"enabled":true}""", clientId: Operator), 200);
        await Expect("enable an unknown PSP", platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-z", """{"enabled":true}""", clientId: Operator), 404);
        await Expect("reset PSP B's overrides", platform.SendAsync(HttpMethod.Delete, "/v1/operator/psps/psp-b/overrides", clientId: Operator), 200);
        await Expect("reset an unknown PSP's overrides", platform.SendAsync(HttpMethod.Delete, "/v1/operator/psps/psp-z/overrides", clientId: Operator), 404);
        await Expect("reset PSP B's health", platform.SendAsync(HttpMethod.Delete, "/v1/operator/psps/psp-b/health", clientId: Operator), 200);
        await Expect("reset an unknown PSP's health", platform.SendAsync(HttpMethod.Delete, "/v1/operator/psps/psp-z/health", clientId: Operator), 404);
        await Expect("PSP B's audit", platform.GetAsync("/v1/operator/psps/psp-b/audit?limit=5", clientId: Operator), 200);
        await Expect("an unknown PSP's audit", platform.GetAsync("/v1/operator/psps/psp-z/audit", clientId: Operator), 404);
    }

    private async Task LedgerAsync(Guid paymentId)
    {
        // The capture reaches the ledger through Kafka: its account exists once the feed has booked it.
        var account = "/v1/operator/ledger/accounts/merchant_payable:merchant-a:USD";
        await Eventually.Until(() => platform.GetAsync(account, clientId: Operator), r => r.Status == 200, TimeSpan.FromSeconds(30),
            () => $"the capture of {paymentId} booked\n{platform.LogsOfSilo()}");
        await Expect("an unknown account", platform.GetAsync("/v1/operator/ledger/accounts/no_such_account", clientId: Operator), 404);
        await Expect("accounts", platform.GetAsync("/v1/operator/ledger/accounts?limit=5", clientId: Operator), 200);
        await Expect("accounts with a bad limit", platform.GetAsync("/v1/operator/ledger/accounts?limit=abc", clientId: Operator), 400);
        await Expect("entries", platform.GetAsync($"{account}/entries?limit=5", clientId: Operator), 200);
        await Expect("entries of an unknown account", platform.GetAsync("/v1/operator/ledger/accounts/no_such_account/entries", clientId: Operator), 404);
        await Expect("a payment's entries", platform.GetAsync($"/v1/operator/ledger/payments/{paymentId}/entries", clientId: Operator), 200);
        await Expect("entries of a malformed payment id", platform.GetAsync("/v1/operator/ledger/payments/not-an-id/entries", clientId: Operator), 400);
        // The books' verdict is 200 or 409 (with the problems): either is the operation answering.
        await Expect("verify", platform.GetAsync("/v1/operator/ledger/verify", clientId: Operator), 200, 409);
        await Expect("verify with a negative settle", platform.GetAsync("/v1/operator/ledger/verify?settle_seconds=-1", clientId: Operator), 400);
        await Expect("repair", platform.SendAsync(HttpMethod.Post, "/v1/operator/ledger/repair", clientId: Operator), 200);
        await Expect("repair with a huge settle", platform.SendAsync(HttpMethod.Post, "/v1/operator/ledger/repair?settle_seconds=99999999", clientId: Operator), 400);
    }

    private async Task EventsAsync()
    {
        await Expect("outbox", platform.GetAsync("/v1/operator/outbox?limit=5", clientId: Operator), 200);
        await Expect("outbox with a bad limit", platform.GetAsync("/v1/operator/outbox?limit=abc", clientId: Operator), 400);
        await Expect("requeue parked events", platform.SendAsync(HttpMethod.Post, "/v1/operator/outbox/requeue-parked", clientId: Operator), 200);
        await Expect("requeue parked events as a merchant", platform.SendAsync(HttpMethod.Post, "/v1/operator/outbox/requeue-parked"), 403);
        await Expect("dead letters", platform.GetAsync("/v1/operator/dead-letters/payments.events?limit=5", clientId: Operator), 200);
        await Expect("dead letters of an unknown topic", platform.GetAsync("/v1/operator/dead-letters/no.such.topic", clientId: Operator), 404);
        await Expect("replay dead letters", platform.SendAsync(HttpMethod.Post, "/v1/operator/dead-letters/payments.events/replay", clientId: Operator), 200);
        await Expect("replay dead letters of an unknown topic",
            platform.SendAsync(HttpMethod.Post, "/v1/operator/dead-letters/no.such.topic/replay", clientId: Operator), 404);
    }

    /// <summary>PSPs call this one, not merchants: no token, the provider's signature instead.</summary>
    private async Task PspWebhooksAsync()
    {
        var (_, _, body) = Requests.PspACaptureNotification();
        var secret = platform.WebhookSecrets["psp-a"];
        await Expect("a signed PSP notification", platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, secret)), 200);
        await Expect("a notification signed with another secret",
            platform.PostWebhookAsync("psp-a", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, "not-our-secret")), 401);
        await Expect("a notification for an unknown provider", platform.PostWebhookAsync("psp-z", body, WebhookSigning.PspAHeaders(body, DateTimeOffset.UtcNow, secret)), 404);
    }

    /// <summary>A PSP's operator disputes a charge; the PSP's notification opens the dispute, and the merchant hears of it.</summary>
    private async Task DisputesAsync()
    {
        var charged = await Expect("a payment to dispute", platform.PostAsync("/v1/payments", Requests.Payment(amount: 2_000)), 201);
        await platform.OpenDisputeAtPspAsync(charged.Json.GetProperty("psp").GetString()!, charged.Id, 500);
        var listed = await Eventually.Until(() => platform.GetAsync($"/v1/disputes?payment_id={charged.Id}"),
            r => r.Status == 200 && r.Json.GetProperty("data").GetArrayLength() > 0, TimeSpan.FromSeconds(30), $"the dispute of {charged.Id} listed");
        await Expect("disputes of no such status", platform.GetAsync("/v1/disputes?status=no_such_status"), 400);
        await Expect("a dispute", platform.GetAsync($"/v1/disputes/{listed.Json.GetProperty("data")[0].GetProperty("id").GetString()}"), 200);
        await Expect("an unknown dispute", platform.GetAsync($"/v1/disputes/{Guid.CreateVersion7()}"), 404);
        await Eventually.Until(() => platform.GetAsync("/v1/events?type=dispute.*"), r => r.Status == 200 && r.Json.GetProperty("data").GetArrayLength() > 0,
            TimeSpan.FromSeconds(30), "the dispute's event listed");
    }

    /// <summary>The payments, wallet changes and dispute above are merchant events: the list shows each kind of data.object.</summary>
    private async Task MerchantEventsAsync()
    {
        var listed = await Eventually.Until(() => platform.GetAsync("/v1/events?limit=100"),
            r => r.Status == 200 && r.Json.GetProperty("data").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "merchant A's events listed");
        await Expect("events of no such type", platform.GetAsync("/v1/events?type=no%20such%20type"), 400);
        await Expect("an event", platform.GetAsync($"/v1/events/{listed.Json.GetProperty("data")[0].GetProperty("id").GetString()}"), 200);
        await Expect("an unknown event", platform.GetAsync($"/v1/events/{Guid.CreateVersion7()}"), 404);
    }

    private async Task WebhookEndpointsAsync()
    {
        await using var receiver = new MerchantWebhookReceiver();
        var created = await Expect("register an endpoint",
            platform.PostAsync("/v1/webhook_endpoints", $$"""{"url":"{{receiver.Url}}","enabled_events":["payment.*"]}"""), 201);
        await Expect("register an endpoint for no events",
            platform.PostAsync("/v1/webhook_endpoints", $$"""{"url":"{{receiver.Url}}","enabled_events":[]}"""), 400);
        var endpoint = $"/v1/webhook_endpoints/{created.Id}";
        await Expect("list endpoints", platform.GetAsync("/v1/webhook_endpoints"), 200);
        await Expect("list endpoints without a token", platform.GetAsync("/v1/webhook_endpoints", clientId: null), 401);
        await Expect("get the endpoint", platform.GetAsync(endpoint), 200);
        await Expect("get an unknown endpoint", platform.GetAsync($"/v1/webhook_endpoints/{Guid.CreateVersion7()}"), 404);
        await Expect("rotate its secret", platform.PostAsync($"{endpoint}/rotate_secret", """{"expires_in_seconds":60}"""), 200);
        await Expect("rotate with a negative expiry", platform.PostAsync($"{endpoint}/rotate_secret", """{"expires_in_seconds":-1}"""), 400);

        // A payment's event goes to the endpoint: its delivery is listed and can be sent again.
        await Expect("a payment to deliver", platform.PostAsync("/v1/payments", Requests.Payment()), 201);
        var deliveries = await Eventually.Until(() => platform.GetAsync($"{endpoint}/deliveries?limit=5"),
            r => r.Status == 200 && r.Json.GetProperty("data").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "a delivery to the endpoint listed");
        await Expect("deliveries with a bad limit", platform.GetAsync($"{endpoint}/deliveries?limit=abc"), 400);
        var delivery = deliveries.Json.GetProperty("data")[0].GetProperty("id").GetString();
        await Expect("resend the delivery", platform.PostAsync($"{endpoint}/deliveries/{delivery}/resend", null), 200);
        await Expect("resend an unknown delivery", platform.PostAsync($"{endpoint}/deliveries/{Guid.CreateVersion7()}/resend", null), 404);
        await Expect("delete the endpoint", platform.SendAsync(HttpMethod.Delete, endpoint), 204);
        await Expect("delete it again", platform.SendAsync(HttpMethod.Delete, endpoint), 404);
    }
}
