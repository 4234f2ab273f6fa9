using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookFixture fixture) : IAsyncLifetime
{
    private const string Payments = "/psp-a/v1/payments";
    private readonly SimulatorHost _host = fixture.Host;
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await fixture.QuiesceAsync(CancellationToken.None);

    [Fact]
    public async Task AReceiverFailingThreeTimesGetsTheSameNotificationFourTimesWithBackoffBetweenAttempts()
    {
        var reference = WebhookAssert.NewPaymentId();
        var failures = 0;
        _receiver.Respond = w => w.Reference == reference && Interlocked.Increment(ref failures) <= 3 ? 500 : null;
        await WebhookAssert.DecideOneAsync(_host, "psp-a", reference, Ct);

        var received = await _receiver.WaitUntilAsync(reference, r => r.Any(static w => w.AnsweredStatus == 200), "a delivered notification", Ct);
        var notification = await WebhookAssert.WaitForNotificationAsync(_host, "psp-a", reference, static n => n.GetProperty("attempts").GetInt32() == 4, Ct);

        Assert.Equal([500, 500, 500, 200], received.Select(static w => w.AnsweredStatus));
        Assert.Single(received.Select(static w => w.Id).Distinct());
        Assert.All(received, w => Assert.Equal(received[0].Body, w.Body));
        WebhookAssert.AllSignedAndClean(received);
        Assert.Equal(200, notification.GetProperty("last_status").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, notification.GetProperty("delivered_at").ValueKind);
        var history = notification.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([500, 500, 500, 200], history.Select(static h => h.GetProperty("status").GetInt32()));
        Assert.Equal([1, 2, 3, 4], history.Select(static h => h.GetProperty("attempt").GetInt32()));
        for (var i = 0; i < 3; i++)
        {
            // Full jitter: each wait is drawn from [0, base * 2^i]; the next attempt waits at least that long.
            var retryInMs = history[i].GetProperty("retry_in_ms").GetInt32();
            Assert.InRange(retryInMs, 0, Math.Min(WebhookFixture.RetryMaxMs, WebhookFixture.RetryBaseMs << i));
            var gap = TimeProvider.System.GetElapsedTime(received[i].ReceivedTimestamp, received[i + 1].ReceivedTimestamp);
            Assert.True(gap >= TimeSpan.FromMilliseconds(retryInMs - 10), $"attempt {i + 2} came {gap.TotalMilliseconds:0} ms after attempt {i + 1}, before its backoff of {retryInMs} ms");
        }

        Assert.Equal(JsonValueKind.Null, history[3].GetProperty("retry_in_ms").ValueKind);
    }

    [Fact]
    public async Task ANotificationFailingEveryAttemptIsGivenUpAfterMaxAttempts()
    {
        var reference = WebhookAssert.NewPaymentId();
        _receiver.Respond = w => w.Reference == reference ? 503 : null;
        var before = await WebhookAssert.StatsAsync(_host, "psp-a", Ct);
        await WebhookAssert.DecideOneAsync(_host, "psp-a", reference, Ct);

        var notification = await WebhookAssert.WaitForNotificationAsync(_host, "psp-a", reference, static n => n.GetProperty("copies_given_up").GetInt32() == 1, Ct);
        var after = await WebhookAssert.StatsAsync(_host, "psp-a", Ct);

        Assert.Equal(WebhookFixture.MaxAttempts, _receiver.For(reference).Count);
        Assert.Equal(WebhookFixture.MaxAttempts, notification.GetProperty("attempts").GetInt32());
        Assert.Equal(503, notification.GetProperty("last_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("delivered_at").ValueKind);
        Assert.Equal(1, Delta(before, after, "given_up"));
        Assert.Equal(WebhookFixture.MaxAttempts, Delta(before, after, "failed_attempts"));
        Assert.Equal(WebhookFixture.MaxAttempts, Delta(before, after, "sent_attempts"));
        Assert.Equal(0, Delta(before, after, "delivered"));
        Assert.Equal(0, after.GetProperty("queued").GetInt64());
    }

    [Fact]
    public async Task ANotificationThatGetsNoAnswerIsRetried()
    {
        var reference = WebhookAssert.NewPaymentId();
        var dropped = 0;
        _receiver.Respond = w => w.Reference == reference && Interlocked.Increment(ref dropped) == 1 ? WebhookReceiver.NoAnswer : null;
        await WebhookAssert.DecideOneAsync(_host, "psp-a", reference, Ct);

        var notification = await WebhookAssert.WaitForNotificationAsync(_host, "psp-a", reference, static n => n.GetProperty("attempts").GetInt32() == 2, Ct);

        var first = notification.GetProperty("history")[0];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("status").ValueKind);
        Assert.StartsWith("no answer", first.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, notification.GetProperty("last_status").GetInt32());
        Assert.Equal(2, _receiver.For(reference).Count);
    }

    [Fact]
    public async Task ANotificationBeingRetriedHoldsBackOnlyItsOwnPayment()
    {
        var stuck = WebhookAssert.NewPaymentId();
        var other = WebhookAssert.NewPaymentId();
        var otherArrived = 0;
        _receiver.Respond = w =>
        {
            if (w.Reference == other)
            {
                Volatile.Write(ref otherArrived, 1);
            }

            // The stuck payment's platform answers 500 until the other payment's notification got through.
            return w.Reference == stuck && Volatile.Read(ref otherArrived) == 0 ? 500 : null;
        };
        var payment = await WebhookAssert.DecideOneAsync(_host, "psp-a", stuck, Ct);
        await WebhookAssert.PostJsonAsync(_host, $"{Payments}/{payment.GetProperty("id").GetString()}/capture", Bodies.NewKey(), "", HttpStatusCode.OK, Ct);
        await WebhookAssert.DecideOneAsync(_host, "psp-a", other, Ct);

        await _receiver.WaitUntilAsync(stuck, static r => r.Count(w => w.AnsweredStatus == 200) == 2, "both notifications delivered", Ct);

        var arrivals = _receiver.Received.Where(w => w.Reference == stuck || w.Reference == other).ToList();
        var otherAt = arrivals.FindIndex(w => w.Reference == other);
        Assert.True(otherAt > 0, "the stuck payment's first attempt goes first: it was decided first");
        Assert.All(arrivals[..otherAt], w => Assert.Equal(("payment.authorized", 500), (w.Type, w.AnsweredStatus)));
        Assert.Equal(
            ["payment.authorized", "payment.captured"],
            arrivals.Where(w => w.Reference == stuck && w.AnsweredStatus == 200).Select(static w => w.Type));
        Assert.Equal("payment.captured", arrivals[^1].Type);
    }

    [Fact]
    public async Task TimeoutRateStillSendsTheNotificationWhileTheAnswerHangs()
    {
        await _host.SetFaultsAsync("psp-a", """{"timeout_rate":1.0}""", Ct);
        var reference = WebhookAssert.NewPaymentId();
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var answer = _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242", capture: true), giveUp.Token);
        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        Assert.False(answer.IsCompleted, "the answer hangs TimeoutHangMs; the notification must not wait for it");
        Assert.Equal("payment.captured", webhook.Type);
        WebhookAssert.AllSignedAndClean([webhook]);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);
    }

    [Fact]
    public async Task ResendDeliversTheSameNotificationAgain()
    {
        var reference = WebhookAssert.NewPaymentId();
        await WebhookAssert.DecideOneAsync(_host, "psp-a", reference, Ct);
        var first = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        var resent = await WebhookAssert.AdminPostAsync(_host, $"/admin/webhooks/psp-a/{first.Id}/resend", "", HttpStatusCode.Accepted, Ct);
        var received = await _receiver.WaitForAsync(reference, 2, Ct);
        var unknown = await WebhookAssert.AdminPostAsync(_host, "/admin/webhooks/psp-a/evt_none/resend", "", HttpStatusCode.NotFound, Ct);

        Assert.Equal(first.Id, resent.GetProperty("id").GetString());
        Assert.Equal(first.Id, received[1].Id);
        Assert.Equal(first.Body, received[1].Body);
        WebhookAssert.AllSignedAndClean(received);
        var notification = await WebhookAssert.WaitForNotificationAsync(_host, "psp-a", reference, static n => n.GetProperty("copies_delivered").GetInt32() == 2, Ct);
        Assert.Equal(2, notification.GetProperty("copies").GetInt32());
        Assert.Equal("notification_not_found", unknown.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheAdminApiCountsAndListsEveryAttempt()
    {
        var reference = WebhookAssert.NewPaymentId();
        var failures = 0;
        _receiver.Respond = w => w.Reference == reference && Interlocked.Increment(ref failures) == 1 ? 502 : null;
        var before = await WebhookAssert.StatsAsync(_host, "psp-a", Ct);
        await WebhookAssert.DecideOneAsync(_host, "psp-a", reference, Ct);

        var notification = await WebhookAssert.WaitForNotificationAsync(_host, "psp-a", reference, static n => n.GetProperty("copies_delivered").GetInt32() == 1, Ct);
        var after = await WebhookAssert.StatsAsync(_host, "psp-a", Ct);

        var received = _receiver.For(reference);
        Assert.Equal(received[0].Id, notification.GetProperty("id").GetString());
        Assert.Equal("payment.authorized", notification.GetProperty("type").GetString());
        Assert.Equal(reference, notification.GetProperty("reference").GetString());
        Assert.Equal(2, notification.GetProperty("attempts").GetInt32());
        Assert.Equal(200, notification.GetProperty("last_status").GetInt32());
        Assert.Equal(502, notification.GetProperty("history")[0].GetProperty("status").GetInt32());
        Assert.Equal(received[0].Json.GetRawText(), notification.GetProperty("body").GetRawText());
        Assert.True(after.GetProperty("enabled").GetBoolean());
        Assert.Equal(_receiver.UrlFor("psp-a"), after.GetProperty("url").GetString());
        Assert.Equal(2, Delta(before, after, "sent_attempts"));
        Assert.Equal(1, Delta(before, after, "delivered"));
        Assert.Equal(1, Delta(before, after, "failed_attempts"));
        Assert.Equal(0, Delta(before, after, "given_up"));
        Assert.Equal(1, Delta(before, after, "notifications"));
    }

    [Fact]
    public async Task ResetClearsTheWebhookStateAndDeliveryCarriesOn()
    {
        await WebhookAssert.SetWebhookFaultsAsync(_host, "psp-a", """{"paused":true,"duplicates":1}""", Ct);
        var forgotten = WebhookAssert.NewPaymentId();
        await WebhookAssert.DecideOneAsync(_host, "psp-a", forgotten, Ct);
        Assert.Equal(2, (await WebhookAssert.StatsAsync(_host, "psp-a", Ct)).GetProperty("queued").GetInt64());

        using var reset = await _host.Client.PostAsync("/admin/reset", content: null, Ct);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var stats = await WebhookAssert.StatsAsync(_host, "psp-a", Ct);
        Assert.Equal([0L, 0, 0, 0], new[] { "queued", "notifications", "sent_attempts", "delivered" }.Select(n => stats.GetProperty(n).GetInt64()));
        Assert.Empty((await WebhookAssert.NotificationsAsync(_host, "psp-a", forgotten, Ct)).EnumerateArray());
        Assert.False((await _host.GetJsonAsync("/admin/webhook-faults/psp-a", Ct)).GetProperty("paused").GetBoolean());
        var next = WebhookAssert.NewPaymentId();
        await WebhookAssert.DecideOneAsync(_host, "psp-a", next, Ct);
        Assert.Single(await _receiver.WaitForAsync(next, 1, Ct));
        Assert.Empty(_receiver.For(forgotten));
    }

    private static long Delta(JsonElement before, JsonElement after, string counter) =>
        after.GetProperty(counter).GetInt64() - before.GetProperty(counter).GetInt64();
}
