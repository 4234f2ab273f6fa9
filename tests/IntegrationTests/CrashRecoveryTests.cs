namespace Payments.Actors.IntegrationTests;

/// <summary>
/// kill -9 of the silo at awkward moments: what was acknowledged survives, what was pending is resolved, nothing is doubled.
/// The PSPs' notifications are held back here (the simulator queues them): these tests prove the status inquiry, the path
/// that still settles a payment when a PSP's notification never comes; PspNotificationFlowTests prove the notifications.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CrashRecoveryTests(PlatformFixture platform) : IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        foreach (var psp in Psps)
        {
            await platform.SetWebhookFaultsAsync(psp, """{"paused":true}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var psp in Psps)
        {
            await platform.ResetWebhookFaultsAsync(psp);
        }
    }

    [Fact]
    public async Task AnAcknowledgedPaymentSurvivesASiloKillWithTheSameState()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5000, capture: false));
        await platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(3000));
        var refunded = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(1000));

        await platform.KillSiloAsync();
        await platform.StartSiloAsync();
        var after = await platform.GetAsync($"/v1/payments/{created.Id}");

        Assert.Equal(200, after.Status);
        Assert.Equal(refunded.Text, after.Text);
        var refundAgain = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(2000));
        Assert.Equal("REFUNDED", refundAgain.State);
    }

    [Fact]
    public async Task APspTimeoutLeavesThePaymentPendingAndAStatusInquirySettlesItToThePspsOutcome()
    {
        var created = await PostWhilePspsTimeOutAsync(Requests.Payment(amount: 1234));

        Assert.Equal(202, created.Status);
        Assert.Equal("INITIATED", created.State);
        Assert.Equal("authorize", created.Json.GetProperty("pending_operation").GetString());
        // While the answer is unknown a durable reminder backs the in-memory inquiry timer up.
        await PaymentWaits.ForPendingRemindersAsync(platform, created.Id, 1, TimeSpan.FromSeconds(10));

        var settled = await PaymentWaits.ForStateAsync(platform, created.Id, "CAPTURED", TimeSpan.FromSeconds(30));
        Assert.Equal(1234, settled.Json.GetProperty("captured_minor").GetInt64());
        Assert.Equal(1, await platform.PspChargeCountAsync(created.Id));
        await PaymentWaits.ForPendingRemindersAsync(platform, created.Id, 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APendingPaymentIsResolvedAfterTheSiloDiesWhileWaitingForThePsp()
    {
        var created = await PostWhilePspsTimeOutAsync(Requests.Payment(amount: 4321, capture: false));
        Assert.Equal(202, created.Status);

        await platform.KillSiloAsync();
        await platform.StartSiloAsync();

        var settled = await PaymentWaits.ForStateAsync(platform, created.Id, "AUTHORIZED", TimeSpan.FromSeconds(45));
        Assert.Equal(4321, settled.Json.GetProperty("authorized_minor").GetInt64());
        Assert.Equal(1, await platform.PspChargeCountAsync(created.Id));
        // The reminder the dead activation registered does not outlive the payment's settlement.
        await PaymentWaits.ForPendingRemindersAsync(platform, created.Id, 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APendingPaymentStaysPendingWhileItsPspRefusesTheInquiriesAndSettlesOnceThePspAnswers()
    {
        var created = await PostWhilePspsTimeOutAsync(Requests.Payment(amount: 5432, capture: false));
        Assert.Equal(202, created.Status);

        // The silo comes back with PSP A's address refusing every connection: inquiries about the payment cannot be sent.
        await platform.KillSiloAsync();
        await platform.StartSiloAsync(new Dictionary<string, string> { ["Psp__Providers__psp-a__BaseUrl"] = $"http://127.0.0.1:{TestEnvironment.FreePort()}" });
        // Deliberately lets time pass: the claim is that nothing happens to the payment while its inquiries fail (every
        // 0.5-2 s) for longer than the not-found grace (4 s). "Nothing happened" has no event to wait for.
        await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        var duringOutage = await platform.GetAsync($"/v1/payments/{created.Id}");

        await platform.KillSiloAsync();
        await platform.StartSiloAsync();
        var settled = await PaymentWaits.ForStateAsync(platform, created.Id, "AUTHORIZED", TimeSpan.FromSeconds(45));

        Assert.Equal(("INITIATED", "authorize"), (duringOutage.State, duringOutage.Json.GetProperty("pending_operation").GetString()));
        Assert.Equal(5432, settled.Json.GetProperty("authorized_minor").GetInt64());
        Assert.Equal(1, await platform.PspChargeCountAsync(created.Id));
    }

    [Fact]
    public async Task ARetryWhilePendingNeverChargesTwice()
    {
        var key = Guid.NewGuid().ToString();
        var body = Requests.Payment(amount: 2222);
        ApiResponse first, retry;
        await SetTimeoutsAsync();
        try
        {
            first = await platform.PostAsync("/v1/payments", body, key);
            retry = await platform.PostAsync("/v1/payments", body, key);
        }
        finally
        {
            await ResetTimeoutsAsync();
        }

        await PaymentWaits.ForStateAsync(platform, first.Id, "CAPTURED", TimeSpan.FromSeconds(30));
        var afterSettle = await platform.PostAsync("/v1/payments", body, key);

        Assert.Equal(202, first.Status);
        Assert.Equal(202, retry.Status);
        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(201, afterSettle.Status);
        Assert.Equal("CAPTURED", afterSettle.State);
        Assert.Equal(1, await platform.PspChargeCountAsync(first.Id));
    }

    /// <summary>
    /// Every attempt of the authorisation times out (the simulator records it, then holds the answer),
    /// so the retries exhaust and the payment is left pending. The slow test card no longer does this:
    /// a retry under the same request id gets the recorded answer at once. Every PSP times out, so the
    /// test does not depend on which one live-health routing picks (a timeout never fails over).
    /// </summary>
    private async Task<ApiResponse> PostWhilePspsTimeOutAsync(string body, string? key = null)
    {
        await SetTimeoutsAsync();
        try
        {
            return await platform.PostAsync("/v1/payments", body, key);
        }
        finally
        {
            await ResetTimeoutsAsync();
        }
    }

    private async Task SetTimeoutsAsync()
    {
        foreach (var psp in Psps)
        {
            await platform.SetFaultsAsync(psp, """{"timeout_rate":1.0}""");
        }
    }

    private async Task ResetTimeoutsAsync()
    {
        foreach (var psp in Psps)
        {
            await platform.ResetFaultsAsync(psp);
        }
    }

    private static readonly string[] Psps = ["psp-a", "psp-b"];
}
