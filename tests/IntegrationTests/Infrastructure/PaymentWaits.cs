namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Waits for a payment to get somewhere, never for a fixed time (<see cref="Eventually"/>).</summary>
public static class PaymentWaits
{
    public static Task<ApiResponse> ForStateAsync(PlatformFixture platform, Guid id, string state, TimeSpan timeout) =>
        Eventually.Until(() => platform.GetAsync($"/v1/payments/{id}"), r => r.Status == 200 && r.State == state, timeout,
            () => $"payment {id} reaching {state}\n{platform.LogsOfSilo()}");

    /// <summary>Waits until the payment's durable "resolve-pending" reminder count is <paramref name="expected"/>.</summary>
    public static Task ForPendingRemindersAsync(PlatformFixture platform, Guid id, long expected, TimeSpan timeout) =>
        Eventually.Until(() => PendingRemindersAsync(platform, id), c => c == expected, timeout,
            () => $"payment {id} having {expected} pending reminders\n{platform.ExceptionsOfSilo()}");

    /// <summary>Rows of Orleans' reminder table for the payment (its grain id holds the key as 32 hex digits).</summary>
    public static Task<long> PendingRemindersAsync(PlatformFixture platform, Guid id) =>
        platform.ScalarAsync(
            "SELECT count(*) FROM orleansreminderstable WHERE remindername = 'resolve-pending' AND replace(grainid, '-', '') LIKE '%' || $1 || '%'",
            id.ToString("N"));
}
