using System.Globalization;
using System.Net;

namespace Payments.Actors.PspSimulatorTests;

[Collection(WebhookCollection.Name)]
public sealed class WebhookFaultTests(WebhookFixture fixture) : IAsyncLifetime
{
    private readonly SimulatorHost _host = fixture.Host;
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await fixture.QuiesceAsync(CancellationToken.None);

    [Theory]
    [InlineData("psp-a")]
    [InlineData("psp-b")]
    [InlineData("bank")]
    public async Task TheDuplicatesKnobSendsNPlusOneCopiesWithTheSameIdAndBody(string provider)
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, provider, """{"duplicates":2}""", Ct);
        var reference = WebhookAssert.NewPaymentId();

        await WebhookAssert.DecideOneAsync(_host, provider, reference, Ct);
        var received = await _receiver.WaitForAsync(reference, 3, Ct);

        Assert.Single(received.Select(static w => w.Id).Distinct());
        Assert.All(received, w => Assert.Equal(received[0].Body, w.Body));
        WebhookAssert.AllSignedAndClean(received);
        var notification = await WebhookAssert.WaitForNotificationAsync(_host, provider, reference, static n => n.GetProperty("copies_delivered").GetInt32() == 3, Ct);
        Assert.Equal(3, notification.GetProperty("copies").GetInt32());
    }

    [Fact]
    public async Task OutOfOrderHoldsNotificationsAndFlushReleasesThemNewestFirst()
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, "psp-a", """{"out_of_order":true}""", Ct);
        var first = WebhookAssert.NewPaymentId();
        var second = WebhookAssert.NewPaymentId();
        var payment = await WebhookAssert.DecideOneAsync(_host, "psp-a", first, Ct);
        await WebhookAssert.PostJsonAsync(_host, $"/psp-a/v1/payments/{payment.GetProperty("id").GetString()}/capture", Bodies.NewKey(), "", HttpStatusCode.OK, Ct);
        await WebhookAssert.DecideOneAsync(_host, "psp-a", second, Ct);
        var held = (await WebhookAssert.StatsAsync(_host, "psp-a", Ct)).GetProperty("held").GetInt64();

        var flushed = await WebhookAssert.AdminPostAsync(_host, "/admin/webhooks/psp-a/flush", "", HttpStatusCode.OK, Ct);
        await _receiver.WaitForAsync(first, 2, Ct);
        await _receiver.WaitForAsync(second, 1, Ct);

        Assert.Equal(3, held);
        Assert.Equal(3, flushed.GetProperty("released").GetInt32());
        var arrivals = _receiver.Received.Where(w => w.Reference == first || w.Reference == second).ToList();
        Assert.Equal(
            [(second, "payment.authorized"), (first, "payment.captured"), (first, "payment.authorized")],
            arrivals.Select(static w => (w.Reference, w.Type)));
        WebhookAssert.AllSignedAndClean(arrivals);
    }

    [Fact]
    public async Task SwitchingOutOfOrderOffReleasesWhatItHeldNewestFirst()
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, "psp-b", """{"out_of_order":true}""", Ct);
        var first = WebhookAssert.NewPaymentId();
        var second = WebhookAssert.NewPaymentId();
        await WebhookAssert.DecideOneAsync(_host, "psp-b", first, Ct);
        await WebhookAssert.DecideOneAsync(_host, "psp-b", second, Ct);

        using var cleared = await _host.Client.DeleteAsync("/admin/webhook-faults/psp-b", Ct);
        await _receiver.WaitForAsync(first, 1, Ct);

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var arrivals = _receiver.Received.Where(w => w.Reference == first || w.Reference == second).Select(static w => w.Reference);
        Assert.Equal([second, first], arrivals);
    }

    [Theory]
    [InlineData("psp-a")]
    [InlineData("psp-b")]
    [InlineData("bank")]
    public async Task WrongSignatureNextSignsExactlyThatManyAttemptsWrong(string provider)
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, provider, """{"wrong_signature_next":2}""", Ct);
        var reference = WebhookAssert.NewPaymentId();

        await WebhookAssert.DecideOneAsync(_host, provider, reference, Ct);
        var received = await _receiver.WaitUntilAsync(reference, static r => r.Any(w => w.AnsweredStatus == 200), "a delivered notification", Ct);

        Assert.Equal(
            [(WebhookVerdict.WrongSignature, 401), (WebhookVerdict.WrongSignature, 401), (WebhookVerdict.Valid, 200)],
            received.Select(static w => (w.Verdict, w.AnsweredStatus)));
        Assert.Single(received.Select(static w => w.Id).Distinct());
        Assert.Equal(0, (await _host.GetJsonAsync($"/admin/webhook-faults/{provider}", Ct)).GetProperty("wrong_signature_next").GetInt32());
        var notification = await WebhookAssert.WaitForNotificationAsync(_host, provider, reference, static n => n.GetProperty("attempts").GetInt32() == 3, Ct);
        Assert.Equal([true, true, false], notification.GetProperty("history").EnumerateArray().Select(static h => h.GetProperty("wrong_signature").GetBoolean()));
    }

    [Theory]
    [InlineData("psp-a")]
    [InlineData("psp-b")]
    [InlineData("bank")]
    public async Task StaleTimestampNextDatesExactlyThatManyAttemptsTenMinutesBack(string provider)
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, provider, """{"stale_timestamp_next":1}""", Ct);
        var reference = WebhookAssert.NewPaymentId();

        await WebhookAssert.DecideOneAsync(_host, provider, reference, Ct);
        var received = await _receiver.WaitUntilAsync(reference, static r => r.Any(w => w.AnsweredStatus == 200), "a delivered notification", Ct);

        Assert.Equal([WebhookVerdict.StaleTimestamp, WebhookVerdict.Valid], received.Select(static w => w.Verdict));
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow().AddMinutes(-10), SignedAt(received[0]), TimeSpan.FromSeconds(30));
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow(), SignedAt(received[1]), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task PausedQueuesNotificationsUntilUnpaused()
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, "bank", """{"paused":true}""", Ct);
        var reference = Bodies.NewReference();
        await WebhookAssert.DecideOneAsync(_host, "bank", reference, Ct);

        // Without the pause it would arrive within milliseconds; give it a little longer to prove it does not.
        await Task.Delay(150, Ct);
        var queued = await WebhookAssert.WaitForNotificationAsync(_host, "bank", reference, static n => n.GetProperty("attempts").GetInt32() == 0, Ct);
        Assert.Empty(_receiver.For(reference));
        await WebhookAssert.SetWebhookFaultsAsync(_host, "bank", """{"paused":false}""", Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));
        Assert.Equal(queued.GetProperty("id").GetString(), webhook.Id);
    }

    [Fact]
    public async Task DelayMsHoldsEachNotificationBeforeItsFirstAttempt()
    {
        const int delayMs = 300;
        await WebhookAssert.SetWebhookFaultsAsync(_host, "psp-b", $$"""{"delay_ms":{{delayMs}}}""", Ct);
        var reference = WebhookAssert.NewPaymentId();
        var started = TimeProvider.System.GetTimestamp();

        await WebhookAssert.DecideOneAsync(_host, "psp-b", reference, Ct);
        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        var waited = TimeProvider.System.GetElapsedTime(started, webhook.ReceivedTimestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(delayMs - 10), $"arrived after {waited.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task InvalidWebhookFaultsAreRejectedAndMissingFieldsTakeDefaults()
    {
        using var negative = await _host.Client.PutAsync("/admin/webhook-faults/psp-a", SimulatorHost.Json("""{"duplicates":-1}"""), Ct);
        using var tooLong = await _host.Client.PutAsync("/admin/webhook-faults/psp-a", SimulatorHost.Json("""{"delay_ms":300001}"""), Ct);
        using var unknown = await _host.Client.PutAsync("/admin/webhook-faults/psp-z", SimulatorHost.Json("{}"), Ct);
        await WebhookAssert.SetWebhookFaultsAsync(_host, "psp-a", """{"duplicates":1}""", Ct);

        var faults = await _host.GetJsonAsync("/admin/webhook-faults/psp-a", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal("invalid_webhook_faults", (await SimulatorHost.ReadJsonAsync(negative, Ct)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        WebhookAssert.HasMembers(faults, "duplicates", "out_of_order", "delay_ms", "wrong_signature_next", "stale_timestamp_next", "paused");
        Assert.Equal(1, faults.GetProperty("duplicates").GetInt32());
        Assert.False(faults.GetProperty("out_of_order").GetBoolean());
        Assert.Equal(0, faults.GetProperty("delay_ms").GetInt32());
    }

    private static DateTimeOffset SignedAt(ReceivedWebhook webhook) => webhook.Provider switch
    {
        "psp-a" => DateTimeOffset.FromUnixTimeSeconds(long.Parse(WebhookVerifier.Parts(webhook.Headers["X-Request-Signature"])[0].Value, CultureInfo.InvariantCulture)),
        "psp-b" => DateTimeOffset.Parse(webhook.Headers["X-PSPB-Timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => DateTimeOffset.FromUnixTimeSeconds(long.Parse(WebhookVerifier.Parts(webhook.Headers["X-Bank-Signature"])[1].Value, CultureInfo.InvariantCulture)),
    };
}
