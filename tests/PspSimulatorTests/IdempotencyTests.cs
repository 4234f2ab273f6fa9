using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SimulatorCollection.Name)]
public sealed class IdempotencyTests(SimulatorFixture fixture)
{
    private const string Payments = "/psp-a/v1/payments";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameIdempotencyKeyReplaysTheFirstResponse()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var body = Bodies.PspAPayment(reference, "4242424242424242");

        using var first = await _host.PostAsync(Payments, key, body, Ct);
        using var second = await _host.PostAsync(Payments, key, body, Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(Ct), await second.Content.ReadAsByteArrayAsync(Ct));
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task SameIdempotencyKeyWithADifferentBodyIsRejectedWith422()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        using var first = await _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4242424242424242", amount: 1000), Ct);
        using var second = await _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4242424242424242", amount: 2000), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("idempotency_key_reused", (await SimulatorHost.ReadJsonAsync(second, Ct)).GetProperty("error").GetString());
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task MissingIdempotencyKeyIsRejectedWith400()
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, idempotencyKey: null, Bodies.PspAPayment(reference, "4242424242424242"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_required", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error").GetString());
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task ConcurrentDuplicatesAreChargedExactlyOnce()
    {
        const int duplicates = 16;
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var body = Bodies.PspAPayment(reference, "4242424242424242", capture: true);
        var processedBefore = (await _host.GetJsonAsync("/admin/stats/psp-a", Ct)).GetProperty("requests_processed").GetInt64();

        var responses = await Task.WhenAll(Enumerable.Range(0, duplicates).Select(async _ =>
        {
            using var response = await _host.PostAsync(Payments, key, body, Ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(responses.Select(response => response.Body).Distinct());
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
        var processedAfter = (await _host.GetJsonAsync("/admin/stats/psp-a", Ct)).GetProperty("requests_processed").GetInt64();
        Assert.Equal(processedBefore + 1, processedAfter);
    }

    [Fact]
    public async Task InquiryAfterASlowChargeTimesOutShowsItApproved()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var body = Bodies.PspAPayment(reference, "4000000000000259");
        // Warm the connection and the provider's code path first: a cold first request can still be on
        // its way when the client gives up, and then the provider rightly never hears of it.
        using (var warmUp = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMilliseconds(SimulatorFixture.SlowDelayMs * 2 / 3));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _host.PostAsync(Payments, key, body, timeout.Token));
        }

        // The client gave up; the provider still decides and records. Under load the request may
        // reach it after the client's cancellation, so wait (bounded) for the record to appear.
        var inquiry = await InquireUntilRecordedAsync(key, TimeSpan.FromSeconds(10));
        Assert.Equal(key, inquiry.GetProperty("idempotency_key").GetString());
        Assert.Equal(200, inquiry.GetProperty("status_code").GetInt32());
        Assert.Equal("authorized", inquiry.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(reference, inquiry.GetProperty("response").GetProperty("reference").GetString());

        // A retry with the same key learns the same outcome at once rather than waiting again.
        var started = TimeProvider.System.GetTimestamp();
        using var retry = await _host.PostAsync(Payments, key, body, Ct);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True(
            TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMilliseconds(SimulatorFixture.SlowDelayMs),
            "the replay of a slow charge should not wait for the slow-card delay again");
        Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task InquiryForAProcessingErrorIsNotFound()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        var body = Bodies.PspAPayment(reference, "4000000000000119");

        using var first = await _host.PostAsync(Payments, key, body, Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("api_error", (await SimulatorHost.ReadJsonAsync(first, Ct)).GetProperty("error").GetProperty("type").GetString());

        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Equal("not_found", (await SimulatorHost.ReadJsonAsync(inquiry, Ct)).GetProperty("error").GetString());

        using var retry = await _host.PostAsync(Payments, key, body, Ct);
        Assert.Equal(HttpStatusCode.InternalServerError, retry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task InquiryForAKeyNeverSentIsNotFound()
    {
        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{Bodies.NewKey()}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
    }

    [Fact]
    public async Task KeysAreScopedToTheirProvider()
    {
        var key = Bodies.NewKey();
        using var pspA = await _host.PostAsync(Payments, key, Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242"), Ct);
        using var pspB = await _host.PostAsync("/psp-b/api/transactions", key, Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242"), Ct);

        Assert.Equal(HttpStatusCode.OK, pspA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pspB.StatusCode);
    }

    private async Task<JsonElement> InquireUntilRecordedAsync(string key, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            using var response = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await SimulatorHost.ReadJsonAsync(response, Ct);
            }

            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"the slow charge {key} was never recorded (last answer {(int)response.StatusCode})");
            await Task.Delay(50, Ct);
        }
    }
}
