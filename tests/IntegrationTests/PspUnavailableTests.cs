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

            ApiResponse refused = null!;
            for (var attempt = 0; attempt < 60; attempt++)
            {
                // Switches reach every silo within about a second; until then payments may still go through.
                refused = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242));
                if (refused.Status == 503)
                {
                    break;
                }

                await Task.Delay(250, TestContext.Current.CancellationToken);
            }

            refused = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242), key);
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

        ApiResponse retried = null!;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            retried = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4242), key);
            if (retried.Status != 503)
            {
                break;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

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
