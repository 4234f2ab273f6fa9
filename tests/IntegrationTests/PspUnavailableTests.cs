namespace Payments.Actors.IntegrationTests;

/// <summary>When no PSP can take a payment (all switched off, breakers open or bulkheads full), the merchant hears it clearly and may retry.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PspUnavailableTests(PlatformFixture platform)
{
    [Fact]
    public async Task WithEveryPspSwitchedOffACreateIsA503RetryableAndTheSameKeySucceedsLater()
    {
        var key = Guid.NewGuid().ToString();
        try
        {
            await SetEnabledAsync("psp-a", false);
            await SetEnabledAsync("psp-b", false);

            // Switches reach every silo within about a second; until then payments may still go through.
            await Eventually.Until(() => platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242)), r => r.Status == 503,
                TimeSpan.FromSeconds(15), "both PSPs switched off in force: a create refused with 503");

            var refused = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242), key);
            Assert.Equal(503, refused.Status);
            Assert.Equal("PSP_UNAVAILABLE", refused.ErrorCode);
            Assert.True(refused.Json.GetProperty("retryable").GetBoolean());
            Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
            Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1 AND state = 'FAILED'", key));
        }
        finally
        {
            await SetEnabledAsync("psp-a", true);
            await SetEnabledAsync("psp-b", true);
        }

        var retried = await Eventually.Until(() => platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242), key), r => r.Status != 503,
            TimeSpan.FromSeconds(15), "the PSPs switched back on in force: the same key no longer refused with 503");

        Assert.Equal(201, retried.Status);
        Assert.Equal("CAPTURED", retried.State);
        Assert.Equal(1, await platform.PspChargeCountAsync(retried.Id));
    }

    private async Task SetEnabledAsync(string psp, bool enabled)
    {
        var response = await platform.SendAsync(HttpMethod.Put, $"/v1/operator/psps/{psp}", $$"""{"enabled":{{(enabled ? "true" : "false")}}}""",
            clientId: PlatformFixture.Operator);
        Assert.Equal(200, response.Status);
    }
}
