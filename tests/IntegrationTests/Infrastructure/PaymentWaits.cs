namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Polling helpers: wait for what a test needs, never for a fixed time.</summary>
public static class PaymentWaits
{
    public static async Task<ApiResponse> ForStateAsync(PlatformFixture platform, Guid id, string state, TimeSpan timeout)
    {
        var (reached, last) = await PollAsync(() => platform.GetAsync($"/v1/payments/{id}"), r => r.Status == 200 && r.State == state, timeout);
        Assert.True(reached, $"Payment {id} did not reach {state} within {timeout}; last: {last}\n{platform.LogsOfSilo()}");
        return last;
    }

    /// <summary>Waits until the payment's durable "resolve-pending" reminder count is <paramref name="expected"/>.</summary>
    public static async Task ForPendingRemindersAsync(PlatformFixture platform, Guid id, long expected, TimeSpan timeout)
    {
        var (reached, count) = await PollAsync(() => PendingRemindersAsync(platform, id), c => c == expected, timeout);
        Assert.True(reached, $"Payment {id} had {count} pending reminders, not {expected}, after {timeout}.\n{platform.ExceptionsOfSilo()}");
    }

    /// <summary>Rows of Orleans' reminder table for the payment (its grain id holds the key as 32 hex digits).</summary>
    public static Task<long> PendingRemindersAsync(PlatformFixture platform, Guid id) =>
        platform.ScalarAsync(
            "SELECT count(*) FROM orleansreminderstable WHERE remindername = 'resolve-pending' AND replace(grainid, '-', '') LIKE '%' || $1 || '%'",
            id.ToString("N"));

    /// <summary>Reads every 250 ms until <paramref name="done"/> holds or <paramref name="timeout"/> passes; returns the last read.</summary>
    public static async Task<(bool Reached, T Last)> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return (true, last);
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        return (false, last);
    }
}
