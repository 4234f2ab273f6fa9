namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Polling helpers: wait for what a test needs, never for a fixed time.</summary>
public static class PaymentWaits
{
    public static async Task<ApiResponse> ForStateAsync(PlatformFixture platform, Guid id, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        ApiResponse last;
        do
        {
            last = await platform.GetAsync($"/v1/payments/{id}");
            if (last.Status == 200 && last.State == state)
            {
                return last;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Payment {id} did not reach {state} within {timeout}; last: {last}\n{platform.LogsOfSilo()}");
        return last;
    }
}
