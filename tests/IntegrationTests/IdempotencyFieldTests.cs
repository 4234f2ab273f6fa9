namespace Payments.Actors.IntegrationTests;

/// <summary>The same Idempotency-Key with any differing field is refused with a 422 naming the fields; the same request, however spelled, replays.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IdempotencyFieldTests(PlatformFixture platform)
{
    private const string Card = $$"""{"number":"{{Requests.ApprovedCard}}","exp_month":12,"exp_year":2030,"cvc":"123"}""";

    private static string Payment(long amount = 1200, string reference = "order-1", string description = "two books") =>
        $$"""{"amount_minor":{{amount}},"currency":"USD","capture":true,"card":{{Card}},"reference":"{{reference}}","description":"{{description}}"}""";

    [Fact]
    public async Task SameKeyWithAnotherReferenceIsRefusedWith422NamingReferenceAndWritesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(reference: "order-1"), key);

        var mismatch = await platform.PostAsync("/v1/payments", Payment(reference: "order-2"), key);

        Assert.Equal(201, original.Status);
        AssertRefusedNaming(mismatch, "reference");
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    [Fact]
    public async Task SameKeyWithAnotherDescriptionIsRefusedWith422NamingDescriptionAndWritesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(description: "two books"), key);

        var mismatch = await platform.PostAsync("/v1/payments", Payment(description: "three books"), key);

        AssertRefusedNaming(mismatch, "description");
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    [Fact]
    public async Task SameKeyWithAnotherAmountAndDescriptionIsRefusedNamingBothFields()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(amount: 1200, description: "two books"), key);

        var mismatch = await platform.PostAsync("/v1/payments", Payment(amount: 1800, description: "three books"), key);

        AssertRefusedNaming(mismatch, "amount_minor", "description");
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    [Fact]
    public async Task TheRefusalNamesFieldsButNeverEchoesTheirValuesOrTheCard()
    {
        var key = Guid.NewGuid().ToString();
        await platform.PostAsync("/v1/payments", Payment(reference: "secret-ref-1"), key);

        var mismatch = await platform.PostAsync("/v1/payments", Payment(reference: "secret-ref-2"), key);

        AssertRefusedNaming(mismatch, "reference");
        Assert.DoesNotContain("secret-ref", mismatch.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Requests.ApprovedCard[^4..], mismatch.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameKeyAndSameBodyWithReorderedFieldsAndOtherWhitespaceReplaysTheFirstResponse()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(), key);
        var reordered = $$"""
            {
              "description" : "two books",
              "card": { "cvc":"123", "exp_year":2030, "exp_month":12, "number":"{{Requests.ApprovedCard}}" },
              "reference":"order-1",   "capture":true,
              "currency":"USD",
              "amount_minor":   1200
            }
            """;

        var replay = await platform.PostAsync("/v1/payments", reordered, key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var replayFromTheGrains = await platform.PostAsync("/v1/payments", reordered, key);

        Assert.Equal(201, replay.Status);
        Assert.True(replay.Replayed);
        Assert.Equal(original.Body, replay.Body);
        Assert.True(replayFromTheGrains.Replayed);
        Assert.Equal(original.Body, replayFromTheGrains.Body);
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    [Fact]
    public async Task AfterARedisFlushTheGrainsStillRefuseAnotherReferenceNamingIt()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(reference: "order-1"), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");

        var mismatch = await platform.PostAsync("/v1/payments", Payment(reference: "order-2"), key);

        AssertRefusedNaming(mismatch, "reference");
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    [Fact]
    public async Task SameKeyWithAnotherRefundReasonIsRefusedNamingReasonAndRefundsOnce()
    {
        var created = await platform.PostAsync("/v1/payments", Payment());
        var key = Guid.NewGuid().ToString();
        var refund = await platform.PostAsync($"/v1/payments/{created.Id}/refund", """{"amount_minor":100,"reason":"damaged"}""", key);

        var mismatch = await platform.PostAsync($"/v1/payments/{created.Id}/refund", """{"amount_minor":100,"reason":"late"}""", key);

        Assert.Equal(200, refund.Status);
        AssertRefusedNaming(mismatch, "reason");
        Assert.Equal(100, (await platform.GetAsync($"/v1/payments/{created.Id}")).Json.GetProperty("refunded_minor").GetInt64());
    }

    [Fact]
    public async Task SameKeyWithAnotherCashInAmountIsRefusedNamingAmountAndMovesMoneyOnce()
    {
        var wallet = $"w-{Guid.NewGuid():N}"[..20];
        var key = Guid.NewGuid().ToString();
        var first = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":2500,"currency":"EUR"}""", key);

        var mismatch = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":2600,"currency":"EUR"}""", key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var mismatchFromTheGrain = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"currency":"EUR","amount_minor":2600}""", key);

        Assert.Equal(201, first.Status);
        AssertRefusedNaming(mismatch, "amount_minor");
        AssertRefusedNaming(mismatchFromTheGrain, "amount_minor");
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM wallet_operations WHERE idempotency_key = $1", key));
        Assert.Equal(2_500, (await platform.GetAsync($"/v1/wallets/{wallet}")).Json.GetProperty("available_minor").GetInt64());
    }

    [Fact]
    public async Task AKeyStoredBeforeFieldDigestsExistedStillReplaysItsRetriesAndIsRefusedWithoutNamingFields()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Payment(amount: 1200), key);
        // The key as stored before this rule: the fingerprint of its time (length-prefixed method, path, merchant,
        // amount, currency, card last four and expiry, capture mode; SHA-256) and no field digests.
        Assert.Equal(1, await platform.ScalarAsync(
            "WITH legacy AS (UPDATE idempotency_keys SET field_digests = NULL, fingerprint_hash = sha256(convert_to('4:POST12:/v1/payments' || " +
            "length(merchant_id) || ':' || merchant_id || '4:12003:USD17:card:4242:12/20307:capture', 'UTF8')) WHERE key = $1 RETURNING 1) " +
            "SELECT count(*) FROM legacy", key));
        await platform.KillSiloAsync();
        await platform.Redis.ExecuteAsync("FLUSHALL");
        await platform.StartSiloAsync();

        var retry = await platform.PostAsync("/v1/payments", Payment(amount: 1200), key);
        var retryFromTheCache = await platform.PostAsync("/v1/payments", Payment(amount: 1200), key);
        var mismatch = await platform.PostAsync("/v1/payments", Payment(amount: 1300), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");
        var mismatchFromTheGrains = await platform.PostAsync("/v1/payments", Payment(amount: 1300), key);

        Assert.True(retry.Replayed, retry.ToString());
        Assert.Equal(original.Body, retry.Body);
        Assert.True(retryFromTheCache.Replayed);
        Assert.Equal(original.Body, retryFromTheCache.Body);
        Assert.All([mismatch, mismatchFromTheGrains], refused =>
        {
            Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (refused.Status, refused.ErrorCode));
            Assert.False(refused.Json.TryGetProperty("fields", out _), refused.ToString());
            Assert.Contains("the request differs from the first use of this key", refused.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
        await AssertOnePaymentChargedOnceAsync(key, original.Id);
    }

    private static void AssertRefusedNaming(ApiResponse response, params string[] fields)
    {
        Assert.True(response.Status == 422, $"Expected 422, got {response}");
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", response.ErrorCode);
        Assert.False(response.Json.GetProperty("retryable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("correlation_id").GetString()));
        Assert.True(response.Json.TryGetProperty("fields", out var named), $"No fields named in {response}");
        Assert.Equal(fields, named.EnumerateArray().Select(field => field.GetString()!).ToArray());
        var message = response.Json.GetProperty("message").GetString()!;
        Assert.All(fields, field => Assert.Contains(field, message, StringComparison.Ordinal));
        Assert.False(response.Replayed);
    }

    private async Task AssertOnePaymentChargedOnceAsync(string key, Guid paymentId)
    {
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(paymentId));
    }
}
