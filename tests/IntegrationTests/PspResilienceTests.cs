namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Retries, breaker and failover against the PSP simulator over HTTP, driven by its fault injection. Every test starts
/// from no faults and every breaker closed with an empty health window (an operator's reset), never from whatever the
/// test before it left, so one test's failure cannot cascade into the next.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PspResilienceTests(PlatformFixture platform) : IAsyncLifetime
{
    public ValueTask InitializeAsync() => new(platform.StartFromHealthyPspsAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task FiveHundredsOnTheFirstTwoTriesAreRetriedIntoOneChargeAndAnAuthorisedPayment()
    {
        var before = (await platform.PspStatsAsync("psp-a")).GetProperty("requests_faulted").GetInt64();
        await platform.SetFaultsAsync("psp-a", """{"fail_next":2,"error_status":503}""");
        try
        {
            var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3100, capture: false));

            Assert.Equal(201, created.Status);
            Assert.Equal("AUTHORIZED", created.State);
            Assert.Equal(1, await platform.PspChargeCountAsync("psp-a", created.Id));
            Assert.Equal(0, await platform.PspChargeCountAsync("psp-b", created.Id));
            var faulted = (await platform.PspStatsAsync("psp-a")).GetProperty("requests_faulted").GetInt64() - before;
            Assert.Equal(2, faulted);
            Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND psp = 'psp-a'", created.Id));
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }
    }

    [Fact]
    public async Task PspATimingOutLeavesThePaymentPendingAtPspAAndInquirySettlesItWithoutEverSendingItToPspB()
    {
        await platform.SetFaultsAsync("psp-a", """{"timeout_rate":1.0}""");
        ApiResponse created;
        try
        {
            created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3200));
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }

        Assert.Equal(202, created.Status);
        Assert.Equal("INITIATED", created.State);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND psp = 'psp-a'", created.Id));
        var settled = await PaymentWaits.ForStateAsync(platform, created.Id, "CAPTURED", TimeSpan.FromSeconds(30));
        Assert.Equal(3200, settled.Json.GetProperty("captured_minor").GetInt64());
        Assert.Equal(1, await platform.PspChargeCountAsync("psp-a", created.Id));
        Assert.Equal(0, await platform.PspChargeCountAsync("psp-b", created.Id));
    }

    [Fact]
    public async Task PspAHardDownOpensTheBreakerNewPaymentsGoToPspBAndAProbeBringsPspABack()
    {
        var pendingAtA = new List<Guid>();
        ApiResponse? failedOver = null;
        await platform.SetFaultsAsync("psp-a", """{"down":true}""");
        try
        {
            // Each payment makes three attempts; ten failures in a row open the breaker.
            for (var i = 0; i < 8 && failedOver is null; i++)
            {
                var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3300 + i));
                if (created.Status == 202)
                {
                    pendingAtA.Add(created.Id);
                }
                else
                {
                    failedOver = created;
                }
            }
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }

        Assert.NotNull(failedOver);
        Assert.Equal(201, failedOver.Status);
        Assert.Equal("CAPTURED", failedOver.State);
        Assert.InRange(pendingAtA.Count, 1, 5);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND psp = 'psp-b'", failedOver.Id));
        Assert.Equal(1, await platform.PspChargeCountAsync("psp-b", failedOver.Id));
        Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", failedOver.Id));

        // The ambiguous ones stay with PSP A: never charged elsewhere, failed once PSP A says it never saw them.
        var first = await PaymentWaits.ForStateAsync(platform, pendingAtA[0], "FAILED", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await platform.PspChargeCountAsync("psp-b", first.Id));
        Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", first.Id));

        // After the break a probe reaches PSP A again, and new payments go back to it.
        await Eventually.Until(async () =>
        {
            var probe = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3400));
            return probe.Status == 201 && await platform.PspChargeCountAsync("psp-a", probe.Id) == 1;
        }, TimeSpan.FromSeconds(30), () => $"PSP A taking payments again after its break\n{platform.LogsOfSilo()}");
    }

    [Fact]
    public async Task PspBDeclinesAndInsufficientFundsMapToADeclinedPaymentWithANormalisedCode()
    {
        await platform.SetFaultsAsync("psp-a", """{"down":true}""");
        try
        {
            // Open PSP A's breaker first so that these payments are routed to PSP B.
            var viaB = await RouteToPspBAsync(Requests.Payment(amount: 3500, card: Requests.InsufficientFundsCard));
            Assert.Equal("DECLINED", viaB.State);
            Assert.Equal("INSUFFICIENT_FUNDS", viaB.Json.GetProperty("decline_code").GetString());
            Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND psp = 'psp-b'", viaB.Id));

            var declined = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3501, card: Requests.DeclinedCard));
            Assert.Equal("DECLINED", declined.State);
            Assert.Equal("DO_NOT_HONOR", declined.Json.GetProperty("decline_code").GetString());
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }
    }

    private async Task<ApiResponse> RouteToPspBAsync(string body)
    {
        for (var i = 0; i < 8; i++)
        {
            var created = await platform.PostAsync("/v1/payments", body);
            if (created.Status == 201)
            {
                return created;
            }
        }

        Assert.Fail($"No payment was routed to PSP B.\n{platform.LogsOfSilo()}");
        return null!;
    }
}
