using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Stripe's metadata over HTTP: taken on every create, returned the same on the create answer, reads, the list and
/// replays, part of the Idempotency-Key's request, and refused beyond its limits naming the field, with nothing written.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MetadataTests(PlatformFixture platform)
{
    private const string Card = $$"""{"number":"{{Requests.ApprovedCard}}","exp_month":12,"exp_year":2030,"cvc":"123"}""";

    /// <summary>Keys in no particular order, one camelCased (no naming policy may touch it), one with an empty value (left out).</summary>
    private const string Tags = """{"orderId":"6735","Channel":"web shop","note":"Zoë's \"gift\"","unset":""}""";

    /// <summary>How every answer shows <see cref="Tags"/>: ordinal key order, the empty one gone.</summary>
    private const string ShownTags = """{"Channel":"web shop","note":"Zoë's \"gift\"","orderId":"6735"}""";

    private static string Payment(string metadata, long amount = 1_300) =>
        $$"""{"amount_minor":{{amount}},"currency":"EUR","card":{{Card}},"metadata":{{metadata}}}""";

    [Fact]
    public async Task APaymentsMetadataIsTheSameOnItsCreateAnswerItsReadTheListAndEveryReplayByteForByte()
    {
        var key = Guid.NewGuid().ToString();
        var created = await platform.PostAsync("/v1/payments", Payment(Tags), key);
        var read = await platform.GetAsync($"/v1/payments/{created.Id}");
        var listed = (await platform.GetAsync($"/v1/payments?limit=20&ending_before={created.Id}"), await platform.GetAsync("/v1/payments?limit=20"));
        var replay = await platform.PostAsync("/v1/payments", Payment(Tags), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var reordered = await platform.PostAsync("/v1/payments", Payment("""{ "unset":"", "note":"Zoë's \"gift\"",  "Channel":"web shop","orderId":"6735" }"""), key);

        Assert.Equal(201, created.Status);
        Assert.Contains($"\"metadata\":{ShownTags}", created.Text, StringComparison.Ordinal);
        Assert.Contains($"\"metadata\":{ShownTags}", read.Text, StringComparison.Ordinal);
        Assert.Equal(JsonOf(created, "metadata"), JsonOf(read, "metadata"));
        var item = listed.Item2.Json.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == created.Id);
        Assert.Equal(JsonOf(created, "metadata"), item.GetProperty("metadata").GetRawText());
        Assert.Empty(listed.Item1.Json.GetProperty("data").EnumerateArray());
        Assert.True(replay.Replayed && reordered.Replayed, $"{replay}\n{reordered}");
        Assert.Equal(created.Body, replay.Body);
        Assert.Equal(created.Body, reordered.Body);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND metadata ? 'orderId' AND NOT metadata ? 'unset'", created.Id));
    }

    [Fact]
    public async Task MetadataAtEveryLimitAtOnceIsTakenAndShownWhole()
    {
        var full = Enumerable.Range(0, 50).ToDictionary(i => $"{i:00}{new string('k', 38)}", i => new string((char)('a' + (i % 26)), 500));

        var created = await platform.PostAsync("/v1/payments", Payment(JsonSerializer.Serialize(full)));

        Assert.Equal(201, created.Status);
        Assert.Equal(full, created.Json.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.Equal(JsonOf(created, "metadata"), JsonOf(await platform.GetAsync($"/v1/payments/{created.Id}"), "metadata"));
    }

    [Fact]
    public async Task APaymentWithoutMetadataShowsAnEmptyObject()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1_301));

        Assert.Equal(201, created.Status);
        Assert.Equal("{}", JsonOf(created, "metadata"));
        Assert.Equal("{}", JsonOf(await platform.GetAsync($"/v1/payments/{created.Id}"), "metadata"));
    }

    [Fact]
    public async Task ARefundsMetadataIsShownOnTheRefundAndReplayedByteForByte()
    {
        var payment = await platform.PostAsync("/v1/payments", Payment("""{"order_id":"1"}"""));
        var key = Guid.NewGuid().ToString();
        var body = """{"amount_minor":300,"reason":"damaged","metadata":{"ticket":"T-42"}}""";

        var refund = await platform.PostAsync($"/v1/payments/{payment.Id}/refund", body, key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var replay = await platform.PostAsync($"/v1/payments/{payment.Id}/refund", body, key);
        var read = await platform.GetAsync($"/v1/payments/{payment.Id}");

        Assert.Equal(200, refund.Status);
        var refunds = read.Json.GetProperty("refunds");
        Assert.Equal("""{"ticket":"T-42"}""", Assert.Single(refunds.EnumerateArray()).GetProperty("metadata").GetRawText());
        Assert.Equal("""{"order_id":"1"}""", JsonOf(read, "metadata"));
        Assert.True(replay.Replayed);
        Assert.Equal(refund.Body, replay.Body);
    }

    [Fact]
    public async Task ACashInsAndAHoldsMetadataAreShownOnThemOnTheWalletAndInReplays()
    {
        var wallet = $"w-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();
        var cashInBody = """{"amount_minor":2000,"currency":"EUR","metadata":{"batch":"B-7"}}""";
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", cashInBody, key);
        var hold = await platform.PostAsync($"/v1/wallets/{wallet}/holds", """{"amount_minor":500,"currency":"EUR","expires_in_seconds":600,"metadata":{"cart":"c-9"}}""");
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var replay = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", cashInBody, key);
        var read = await platform.GetAsync($"/v1/wallets/{wallet}");

        Assert.Equal((201, 201), (cashIn.Status, hold.Status));
        Assert.Equal("""{"batch":"B-7"}""", JsonOf(cashIn, "metadata"));
        Assert.Equal("""{"cart":"c-9"}""", JsonOf(hold, "metadata"));
        Assert.Equal("""{"cart":"c-9"}""", Assert.Single(read.Json.GetProperty("holds").EnumerateArray()).GetProperty("metadata").GetRawText());
        Assert.True(replay.Replayed);
        Assert.Equal(cashIn.Body, replay.Body);
    }

    public static TheoryData<string, string> Invalid()
    {
        var data = new TheoryData<string, string>
        {
            { JsonSerializer.Serialize(Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v")), "metadata" },
            { $$"""{"{{new string('k', 41)}}":"v"}""", "metadata" },
            { """{"":"v"}""", "metadata" },
            { """{"items[0]":"v"}""", "metadata.items[0]" },
            { $$"""{"ok":"v","note":"{{new string('v', 501)}}"}""", "metadata.note" },
            { """{"order_id":null}""", "metadata.order_id" },
            { """{"order_id":"nul\u0000"}""", "metadata.order_id" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task MetadataBeyondItsLimitsIsRefusedNamingTheFieldAndWritesNothingSoTheKeyStaysFree(string metadata, string field)
    {
        var key = Guid.NewGuid().ToString();

        var refused = await platform.PostAsync("/v1/payments", Payment(metadata), key);
        var corrected = await platform.PostAsync("/v1/payments", Payment("""{"fixed":"yes"}"""), key);

        Assert.Equal((400, "VALIDATION_FAILED"), (refused.Status, refused.ErrorCode));
        Assert.Equal(field, refused.Json.GetProperty("field").GetString());
        Assert.Equal(201, corrected.Status);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task AValueThatIsNoStringIsAJsonErrorNamingItsKey()
    {
        var refused = await platform.PostAsync("/v1/payments", Payment("""{"order_id":6735}"""));

        Assert.Equal((400, "INVALID_JSON"), (refused.Status, refused.ErrorCode));
        Assert.Equal("metadata.order_id", refused.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task EveryCreateRefusesMetadataBeyondItsLimitsAndWritesNothing()
    {
        var payment = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1_302));
        var wallet = $"w-{Guid.NewGuid():N}"[..20];
        var tooLong = $$"""{"note":"{{new string('v', 501)}}"}""";

        var refund = await platform.PostAsync($"/v1/payments/{payment.Id}/refund", $$"""{"metadata":{{tooLong}}}""");
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", $$"""{"amount_minor":100,"currency":"EUR","metadata":{{tooLong}}}""");
        var hold = await platform.PostAsync($"/v1/wallets/{wallet}/holds", $$"""{"amount_minor":100,"currency":"EUR","expires_in_seconds":60,"metadata":{{tooLong}}}""");

        Assert.All([refund, cashIn, hold], refused =>
        {
            Assert.Equal((400, "VALIDATION_FAILED"), (refused.Status, refused.ErrorCode));
            Assert.Equal("metadata.note", refused.Json.GetProperty("field").GetString());
        });
        Assert.Equal(0, (await platform.GetAsync($"/v1/payments/{payment.Id}")).Json.GetProperty("refunded_minor").GetInt64());
        Assert.Equal(404, (await platform.GetAsync($"/v1/wallets/{wallet}")).Status);
    }

    [Fact]
    public async Task TheSameKeyWithOtherMetadataIsRefusedWith422NamingMetadataAlsoWhenRedisHasForgottenIt()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment("""{"order_id":"1"}"""), key);

        var other = await platform.PostAsync("/v1/payments", Payment("""{"order_id":"2"}"""), key);
        var none = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1_300, currency: "EUR").Replace(",\"reference\":\"it\"", ""), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var otherFromTheGrains = await platform.PostAsync("/v1/payments", Payment("""{"order_id":"2"}"""), key);
        var walletKey = Guid.NewGuid().ToString();
        var wallet = $"w-{Guid.NewGuid():N}"[..20];
        await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":100,"currency":"EUR","metadata":{"a":"1"}}""", walletKey);
        var otherCashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":100,"currency":"EUR","metadata":{"a":"2"}}""", walletKey);

        Assert.Equal(201, original.Status);
        Assert.All([other, otherFromTheGrains, otherCashIn], refused =>
        {
            Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (refused.Status, refused.ErrorCode));
            Assert.Equal(["metadata"], refused.Json.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            Assert.DoesNotContain("order_id", refused.Text, StringComparison.Ordinal);
        });
        Assert.Equal(422, none.Status);
        Assert.Contains("metadata", none.Json.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesMetadataWithItsLimits()
    {
        var document = JsonDocument.Parse((await platform.SendAsync(HttpMethod.Get, "/openapi/v1.json", clientId: null)).Body).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var request = schemas.GetProperty("CreatePaymentRequest").GetProperty("properties").GetProperty("metadata");
        var response = schemas.GetProperty("PaymentResponse");
        var shown = schemas.GetProperty(response.GetProperty("properties").GetProperty("metadata").GetProperty("$ref").GetString()!.Split('/')[^1]);

        Assert.All([request, shown], schema =>
        {
            Assert.Equal(50, schema.GetProperty("maxProperties").GetInt32());
            Assert.Equal(40, schema.GetProperty("propertyNames").GetProperty("maxLength").GetInt32());
            Assert.Equal("string", schema.GetProperty("additionalProperties").GetProperty("type").GetString());
            Assert.Equal(500, schema.GetProperty("additionalProperties").GetProperty("maxLength").GetInt32());
        });
        Assert.DoesNotContain("metadata", schemas.GetProperty("CreatePaymentRequest").TryGetProperty("required", out var required) ? required.ToString() : "");
        Assert.Contains("metadata", response.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    private static string JsonOf(ApiResponse response, string member) => response.Json.GetProperty(member).GetRawText();
}
