namespace Payments.Actors.IntegrationTests;

/// <summary>one key, one execution, one PSP charge; byte-identical replays from every layer.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IdempotencyTests(PlatformFixture platform)
{
    [Fact]
    public async Task FiftyConcurrentDuplicatesCreateOnePaymentWithOneChargeAndIdenticalResponses()
    {
        var key = Guid.NewGuid().ToString();
        var body = Requests.Payment(amount: 4321);
        await platform.TokenAsync(PlatformFixture.MerchantA);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => platform.PostAsync("/v1/payments", body, key)));

        AssertAllCreated(responses);
        var first = responses[0];
        Assert.All(responses, r => Assert.Equal(first.Body, r.Body));
        Assert.Equal(49, responses.Count(r => r.Replayed));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(first.Id));
    }

    [Fact]
    public async Task DuplicatesSentWhileRedisStallsAreAnsweredByTheGrainsNotFailed()
    {
        var key = Guid.NewGuid().ToString();
        var body = Requests.Payment(amount: 4322);
        // Connected to Redis first: a multiplexer still connecting queues its commands instead.
        Assert.Equal(201, (await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4323))).Status);

        // Redis answers nothing for 4 s: longer than the API's 1 s command timeout, so every cache
        // read and write of these requests times out (a RedisTimeoutException, not a RedisException).
        await platform.Redis.ExecuteAsync("CLIENT", "PAUSE", "4000", "ALL");
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => platform.PostAsync("/v1/payments", body, key)));

        AssertAllCreated(responses);
        Assert.All(responses, r => Assert.Equal(responses[0].Body, r.Body));
        Assert.Equal(9, responses.Count(r => r.Replayed));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(responses[0].Id));
    }

    [Fact]
    public async Task WithRedisUnreachableTheApiStartsAndTheGrainsAnswerCreatesReplaysAndMismatches()
    {
        var key = Guid.NewGuid().ToString();
        await platform.KillSiloAsync();
        // Nothing listens there: every connect is refused, and the silo must start and serve anyway.
        await platform.StartSiloAsync(new Dictionary<string, string> { ["ConnectionStrings__Redis"] = $"127.0.0.1:{TestEnvironment.FreePort()}" });
        try
        {
            var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4324), key);
            var replay = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4324), key);
            var mismatch = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4325), key);

            Assert.Equal(201, created.Status);
            Assert.True(replay.Replayed);
            Assert.Equal(created.Body, replay.Body);
            Assert.Equal(422, mismatch.Status);
            Assert.Equal("IDEMPOTENCY_KEY_REUSED", mismatch.ErrorCode);
            Assert.Equal(1, await platform.PspChargeCountAsync(created.Id));
        }
        finally
        {
            await platform.KillSiloAsync();
            await platform.StartSiloAsync();
        }
    }

    [Fact]
    public async Task SameKeyWithAnotherAmountIsRejectedWith422AndChangesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000), key);

        var mismatch = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1001), key);

        Assert.Equal(422, mismatch.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", mismatch.ErrorCode);
        Assert.False(string.IsNullOrEmpty(mismatch.Json.GetProperty("correlation_id").GetString()));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
    }

    [Fact]
    public async Task MismatchIsDetectedByTheGrainWhenRedisHasNothing()
    {
        var key = Guid.NewGuid().ToString();
        await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");

        var mismatch = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 999), key);

        Assert.Equal(422, mismatch.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", mismatch.ErrorCode);
    }

    [Fact]
    public async Task ReplayAfterRedisFlushReturnsTheOriginalBytes()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Requests.Payment(capture: false), key);
        await platform.PostAsync($"/v1/payments/{original.Id}/capture", null);

        await platform.Redis.ExecuteAsync("FLUSHALL");
        var replay = await platform.PostAsync("/v1/payments", Requests.Payment(capture: false), key);

        Assert.Equal(201, replay.Status);
        Assert.True(replay.Replayed);
        Assert.Equal(original.Body, replay.Body);
        Assert.Equal("AUTHORIZED", replay.State); // the first answer, not today's state
        Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
    }

    [Fact]
    public async Task ReplayAfterRedisFlushAndSiloRestartReturnsTheOriginalBytes()
    {
        var key = Guid.NewGuid().ToString();
        var captureKey = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 777, capture: false), key);
        var capture = await platform.PostAsync($"/v1/payments/{original.Id}/capture", Requests.Amount(700), captureKey);

        await platform.KillSiloAsync();
        await platform.Redis.ExecuteAsync("FLUSHALL");
        await platform.StartSiloAsync();
        var replay = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 777, capture: false), key);
        var captureReplay = await platform.PostAsync($"/v1/payments/{original.Id}/capture", Requests.Amount(700), captureKey);

        Assert.Equal(original.Body, replay.Body);
        Assert.True(replay.Replayed);
        Assert.Equal((capture.Status, capture.Text), (captureReplay.Status, captureReplay.Text));
        Assert.True(captureReplay.Replayed);
        Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
    }

    [Fact]
    public async Task AfterARestartAndARedisFlushAMismatchIsStill422AndLeavesNoOrphanPayment()
    {
        var key = Guid.NewGuid().ToString();
        var original = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1500), key);

        await platform.KillSiloAsync();
        await platform.Redis.ExecuteAsync("FLUSHALL");
        await platform.StartSiloAsync();
        var mismatch = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1501), key);
        var replay = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1500), key);

        Assert.Equal(422, mismatch.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", mismatch.ErrorCode);
        Assert.Equal(original.Body, replay.Body);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
    }

    [Fact]
    public async Task ConcurrentDuplicateCapturesCaptureOnce()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000, capture: false));
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(400), key)));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.All(responses, r => Assert.Equal(responses[0].Body, r.Body));
        var payment = await platform.GetAsync($"/v1/payments/{created.Id}");
        Assert.Equal(400, payment.Json.GetProperty("captured_minor").GetInt64());
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.captured'", created.Id));
    }

    [Fact]
    public async Task ConcurrentDistinctRefundsNeverExceedTheCapturedAmount()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(300))));

        Assert.Equal(3, responses.Count(r => r.Status == 200));
        Assert.All(responses.Where(r => r.Status != 200), r => Assert.Equal("AMOUNT_EXCEEDS_REFUNDABLE", r.ErrorCode));
        var payment = await platform.GetAsync($"/v1/payments/{created.Id}");
        Assert.Equal(900, payment.Json.GetProperty("refunded_minor").GetInt64());
        Assert.Equal(900, await platform.ScalarAsync("SELECT refunded_minor FROM payments WHERE id = $1", created.Id));
    }

    [Fact]
    public async Task AKeyUsedForACreateCannotBeReusedForACapture()
    {
        var key = Guid.NewGuid().ToString();
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(capture: false), key);
        await platform.Redis.ExecuteAsync("FLUSHALL");

        var capture = await platform.PostAsync($"/v1/payments/{created.Id}/capture", null, key);

        Assert.Equal(422, capture.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", capture.ErrorCode);
        Assert.Equal("AUTHORIZED", (await platform.GetAsync($"/v1/payments/{created.Id}")).State);
    }

    [Fact]
    public async Task KeysAreScopedPerMerchant()
    {
        var key = Guid.NewGuid().ToString();

        var a = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 100), key, PlatformFixture.MerchantA);
        var b = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 200), key, PlatformFixture.MerchantB);

        Assert.Equal(201, a.Status);
        Assert.Equal(201, b.Status);
        Assert.NotEqual(a.Id, b.Id);
        Assert.False(b.Replayed);
    }

    private void AssertAllCreated(ApiResponse[] responses)
    {
        var other = responses.Where(r => r.Status != 201).ToList();
        Assert.True(other.Count == 0,
            $"{other.Count} of {responses.Length} were not 201, e.g. {other.FirstOrDefault()}. Silo: {platform.ExceptionsOfSilo()}");
    }
}
