using System.Net;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SimulatorCollection.Name)]
public sealed class FaultInjectionTests(SimulatorFixture fixture) : IAsyncLifetime
{
    private const string Payments = "/psp-a/v1/payments";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in new[] { "psp-a", "psp-b", "bank" })
        {
            await _host.ClearFaultsAsync(provider, CancellationToken.None);
        }
    }

    [Fact]
    public async Task FailNextAnswersTheErrorStatusWithoutChargingThenRecovers()
    {
        await _host.SetFaultsAsync("psp-a", """{"fail_next":2,"error_status":503}""", Ct);
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var body = Bodies.PspAPayment(reference, "4242424242424242");

        using var first = await _host.PostAsync(Payments, key, body, Ct);
        using var second = await _host.PostAsync(Payments, key, body, Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("api_error", (await SimulatorHost.ReadJsonAsync(first, Ct)).GetProperty("error").GetProperty("type").GetString());
        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());

        using var third = await _host.PostAsync(Payments, key, body, Ct);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
        Assert.Equal(0, (await _host.GetJsonAsync("/admin/faults/psp-a", Ct)).GetProperty("fail_next").GetInt32());
    }

    [Fact]
    public async Task ErrorRateOfOneFailsEveryCommandWithTheConfiguredStatus()
    {
        await _host.SetFaultsAsync("psp-b", """{"error_rate":1.0,"error_status":500}""", Ct);
        var reference = Bodies.NewReference();

        using var response = await _host.PostAsync("/psp-b/api/transactions", Bodies.NewKey(), Bodies.PspBTransaction(reference, "4242424242424242"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("96", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("responseCode").GetString());
        Assert.Empty((await _host.ChargesAsync("psp-b", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task DownProviderAbortsTheConnectionAndChargesNothing()
    {
        await _host.SetFaultsAsync("psp-a", """{"down":true}""", Ct);
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var abortedBefore = (await _host.GetJsonAsync("/admin/stats/psp-a", Ct)).GetProperty("requests_aborted").GetInt64();

        await Assert.ThrowsAsync<HttpRequestException>(() => _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4242424242424242"), Ct));

        await _host.ClearFaultsAsync("psp-a", Ct);
        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
        Assert.Equal(abortedBefore + 1, (await _host.GetJsonAsync("/admin/stats/psp-a", Ct)).GetProperty("requests_aborted").GetInt64());
    }

    [Fact]
    public async Task TimeoutFaultRecordsTheChargeBeforeHanging()
    {
        await _host.SetFaultsAsync("psp-a", """{"timeout_rate":1.0}""", Ct);
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMilliseconds(SimulatorFixture.TimeoutHangMs / 10));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4242424242424242", capture: true), timeout.Token));
        }

        var inquiry = await _host.GetJsonAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal("captured", inquiry.GetProperty("response").GetProperty("status").GetString());
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task DeclineRateOfOneDeclinesApprovingCards()
    {
        await _host.SetFaultsAsync("psp-a", """{"decline_rate":1.0}""", Ct);
        await _host.SetFaultsAsync("psp-b", """{"decline_rate":1.0}""", Ct);

        using var pspA = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242"), Ct);
        using var pspB = await _host.PostAsync("/psp-b/api/transactions", Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242"), Ct);

        Assert.Equal("do_not_honor", (await SimulatorHost.ReadJsonAsync(pspA, Ct)).GetProperty("decline_reason").GetString());
        Assert.Equal("05", (await SimulatorHost.ReadJsonAsync(pspB, Ct)).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task FaultsOnOneProviderLeaveTheOthersUntouched()
    {
        await _host.SetFaultsAsync("psp-a", """{"down":true}""", Ct);

        using var pspB = await _host.PostAsync("/psp-b/api/transactions", Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242"), Ct);
        using var bank = await _host.PostAsync("/bank/v2/transfers", Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532013000", "10.00"), Ct);

        Assert.Equal(HttpStatusCode.OK, pspB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bank.StatusCode);
    }

    [Fact]
    public async Task LatencyHoldsTheAnswerBack()
    {
        const int latencyMs = 200;
        await _host.SetFaultsAsync("bank", $$"""{"latency_ms":{{latencyMs}}}""", Ct);
        var started = TimeProvider.System.GetTimestamp();

        using var response = await _host.PostAsync("/bank/v2/transfers", Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532013000", "10.00"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Timers may fire a hair early; without the fault this answer takes a few milliseconds.
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(latencyMs - 10), $"the answer should wait for latency_ms; it took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task InvalidFaultSettingsAreRejected()
    {
        using var invalid = await _host.Client.PutAsync("/admin/faults/psp-a", SimulatorHost.Json("""{"error_rate":2.0}"""), Ct);
        using var unknown = await _host.Client.PutAsync("/admin/faults/psp-z", SimulatorHost.Json("{}"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_faults", (await SimulatorHost.ReadJsonAsync(invalid, Ct)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ResetForgetsEveryRecordedRequestAndCharge()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        using var payment = await _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4242424242424242"), Ct);
        await _host.SetFaultsAsync("psp-b", """{"down":true}""", Ct);

        using var reset = await _host.Client.PostAsync("/admin/reset", content: null, Ct);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
        Assert.False((await _host.GetJsonAsync("/admin/faults/psp-b", Ct)).GetProperty("down").GetBoolean());
    }
}
