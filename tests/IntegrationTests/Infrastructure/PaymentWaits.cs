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

    /// <summary>Waits until the payment's durable "resolve-pending" reminder count is <paramref name="expected"/>.</summary>
    public static async Task ForPendingRemindersAsync(PlatformFixture platform, Guid id, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long count;
        do
        {
            count = await PendingRemindersAsync(platform, id);
            if (count == expected)
            {
                return;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Payment {id} had {count} pending reminders, not {expected}, after {timeout}.\n{platform.ExceptionsOfSilo()}");
    }

    /// <summary>Rows of Orleans' reminder table for the payment (its grain id holds the key as 32 hex digits).</summary>
    public static Task<long> PendingRemindersAsync(PlatformFixture platform, Guid id) =>
        platform.ScalarAsync(
            "SELECT count(*) FROM orleansreminderstable WHERE remindername = 'resolve-pending' AND replace(grainid, '-', '') LIKE '%' || $1 || '%'",
            id.ToString("N"));
}
