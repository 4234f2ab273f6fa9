using Payments.Actors.Grains.WebhookEndpoints;

namespace Payments.Actors.GrainTests;

/// <summary>
/// The webhook dispatcher against real PostgreSQL with a fake clock and loopback receivers: retries, the breaker and
/// its isolation, rotation, and a crash between send and mark. Each test has its own database: dispatchers claim
/// every due delivery they see.
/// </summary>
public sealed class WebhookDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnEndpointDownForTenMinutesGetsEveryEventOnceItIsBackWhileAnotherMerchantsEndpointIsServedMeanwhile()
    {
        await using var harness = new DispatcherHarness();
        await harness.StartAsync();
        var down = await harness.AddEndpointAsync("merchant-a", "/down", "whsec_a", "payment.*");
        var healthy = await harness.AddEndpointAsync("merchant-b", "/healthy", "whsec_b", "*");
        harness.Receiver.StatusOf["/down"] = 500;
        var events = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            events.Add(await harness.CommitEventAsync("merchant-a", "payment.captured"));
        }

        // Ten simulated minutes of outage, in 10 s steps; merchant B's events go out promptly all along.
        var outageStart = harness.Clock.GetUtcNow();
        var healthyEvents = new List<Guid>();
        for (var step = 0; step < 60; step++)
        {
            if (step % 20 == 5)
            {
                var id = await harness.CommitEventAsync("merchant-b", "wallet.cashed_in");
                healthyEvents.Add(id);
                await Eventually.Until(async () => await harness.StatusAsync(healthy.Id, id) == "delivered", Patience,
                    "merchant B's event is delivered while merchant A's endpoint is down");
            }

            harness.Clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(60, TestContext.Current.CancellationToken);
        }

        var outageAttempts = harness.Receiver.At("/down");
        Assert.All(outageAttempts, r => Assert.Equal(500, r.Status));
        // The breaker holds the endpoint back: far fewer attempts than five deliveries retried on their own schedules.
        Assert.InRange(outageAttempts.Count, 3, 25);

        harness.Receiver.StatusOf["/down"] = 200;
        for (var step = 0; step < 300 && !await AllDeliveredAsync(harness, down.Id, events); step++)
        {
            harness.Clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(60, TestContext.Current.CancellationToken);
        }

        Assert.True(await AllDeliveredAsync(harness, down.Id, events), "every event reaches the endpoint once it is back");
        var accepted = harness.Receiver.At("/down").Where(r => r.Status == 200).ToList();
        Assert.Equal(events.Order(), accepted.Select(r => r.EventId).Order());
        Assert.Equal(healthyEvents, harness.Receiver.At("/healthy").Select(r => r.EventId));
        AssertSpacedPerSchedule(harness, harness.Receiver.At("/down"), outageStart);
    }

    [Fact]
    public async Task DuringARotationBothSecretsSignAndAfterItsExpiryOnlyTheNewOne()
    {
        await using var harness = new DispatcherHarness();
        await harness.StartAsync();
        var endpoint = await harness.AddEndpointAsync("merchant-a", "/rotating", "whsec_old", "*");
        var now = harness.Clock.GetUtcNow();
        await harness.WriteAsync(WebhookEndpointStore.RotateSecret("merchant-a", endpoint.Id, "whsec_new", now.AddHours(1), now));

        var firstId = await harness.CommitEventAsync("merchant-a", "payment.authorized");
        var during = await Eventually.Until(() => Task.FromResult(harness.Receiver.At("/rotating")), r => r.Count == 1, Patience, "the first event arrives");
        // Recorded as delivered before the clock jumps: otherwise its lease would run out in the jump and it would be sent again.
        await Eventually.Until(async () => await harness.StatusAsync(endpoint.Id, firstId) == "delivered", Patience, "the first delivery is recorded");
        harness.Clock.Advance(TimeSpan.FromHours(2));
        await harness.CommitEventAsync("merchant-a", "payment.captured");
        var after = await Eventually.Until(() => Task.FromResult(harness.Receiver.At("/rotating")), r => r.Count == 2, Patience, "the second event arrives");

        var (first, second) = (during[0], after[1]);
        Assert.True(WebhookSignature.Verify(first.Signature, first.Body, "whsec_new", first.At, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(first.Signature, first.Body, "whsec_old", first.At, TimeSpan.FromMinutes(5)));
        Assert.Equal(2, first.Signature.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)));
        Assert.True(WebhookSignature.Verify(second.Signature, second.Body, "whsec_new", second.At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(second.Signature, second.Body, "whsec_old", second.At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task ADispatcherThatDiesBetweenSendAndMarkLeavesTheEventToBeSentAgainWithTheSameEventId()
    {
        await using var harness = new DispatcherHarness();
        await harness.StartAsync(dispatching: false);
        var endpoint = await harness.AddEndpointAsync("merchant-a", "/crash", "whsec_c", "payment.captured");
        var eventId = await harness.CommitEventAsync("merchant-a", "payment.captured");
        var now = harness.Clock.GetUtcNow();
        var lease = now.AddSeconds(34);

        // The first dispatcher claims, sends, and dies before it records the 2xx.
        var claimed = Assert.Single(await harness.Deliveries.ClaimAsync(now, lease, 10, 2, 3, [], TestContext.Current.CancellationToken));
        var (status, error) = await harness.Dispatcher.AttemptAsync(claimed, TestContext.Current.CancellationToken);
        Assert.Equal(200, status);
        Assert.Null(error);
        Assert.Empty(await harness.Deliveries.ClaimAsync(now.AddSeconds(10), lease, 10, 2, 3, [], TestContext.Current.CancellationToken));

        // Another dispatcher finds it once the lease is over and sends it again: same event id, next attempt number.
        await harness.Dispatcher.StartAsync(CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromSeconds(35));
        await Eventually.Until(async () => await harness.StatusAsync(endpoint.Id, eventId) == "delivered", Patience, "the resent delivery is recorded");
        var received = harness.Receiver.At("/crash");
        Assert.Equal(new[] { eventId, eventId }, received.Select(r => r.EventId));
        Assert.Equal(new[] { 1, 2 }, received.Select(r => r.Attempt));
        Assert.Equal(received[0].Body, received[1].Body);
    }

    private static async Task<bool> AllDeliveredAsync(DispatcherHarness harness, Guid endpointId, List<Guid> events)
    {
        foreach (var id in events)
        {
            if (await harness.StatusAsync(endpointId, id) != "delivered")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each retry comes no later than its backoff ceiling after the attempt before, plus an open breaker's hold and the clock's steps.</summary>
    private static void AssertSpacedPerSchedule(DispatcherHarness harness, IReadOnlyList<ReceivedWebhook> attempts, DateTimeOffset since)
    {
        // A half-open breaker lets one probe out per break: the others wait their turn behind it.
        var slack = (harness.Options.BreakDuration * (attempts.Select(r => r.EventId).Distinct().Count() + 1)) + TimeSpan.FromSeconds(60);
        foreach (var perEvent in attempts.GroupBy(r => r.EventId))
        {
            var ordered = perEvent.OrderBy(r => r.Attempt).ToList();
            Assert.Equal(Enumerable.Range(1, ordered.Count), ordered.Select(r => r.Attempt));
            Assert.True(ordered[0].At - since <= slack, $"event {perEvent.Key}: first attempt {ordered[0].At - since} after its commit");
            for (var i = 1; i < ordered.Count; i++)
            {
                var gap = ordered[i].At - ordered[i - 1].At;
                var ceiling = WebhookBackoff.Ceiling(ordered[i - 1].Attempt, harness.Options.RetryDelayBase, harness.Options.RetryDelayMax);
                Assert.True(gap >= TimeSpan.Zero && gap <= ceiling + slack, $"event {perEvent.Key}: attempt {ordered[i].Attempt} came {gap} after the one before (ceiling {ceiling})");
            }
        }
    }
}
