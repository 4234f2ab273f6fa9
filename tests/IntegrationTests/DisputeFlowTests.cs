using System.Net.Http.Json;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Chargebacks end to end, against the real processes: the simulator's operator opens a dispute on a captured charge,
/// the PSP notifies, and the payment shows a dispute, the ledger withdraws the amount from the merchant (and gives it
/// back when the merchant wins), and the merchant hears of each step.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DisputeFlowTests(PlatformFixture platform) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await platform.StartFromHealthyPspsAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AChargebackNotifiedThreeTimesIsOneDisputeOneBalancedWithdrawalAndOneEventAndWinningItReinstatesTheFunds()
    {
        await using var receiver = new MerchantWebhookReceiver();
        var endpoint = await platform.PostAsync("/v1/webhook_endpoints", $$"""{"url":"{{receiver.Url}}","enabled_events":["dispute.*"]}""");
        Assert.True(endpoint.Status == 201, endpoint.ToString());
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5_000));
        Assert.True(created.Status == 201, created.ToString());
        var psp = created.Json.GetProperty("psp").GetString()!;

        string pspDisputeId;
        try
        {
            await platform.SetWebhookFaultsAsync(psp, """{"duplicates":2}""");
            pspDisputeId = await platform.OpenDisputeAtPspAsync(psp, created.Id, 3_000);
            var listed = await Eventually.Until(() => platform.GetAsync($"/v1/disputes?payment_id={created.Id}"),
                r => r.Json.GetProperty("data").GetArrayLength() > 0, TimeSpan.FromSeconds(15), "the dispute listed");
            var dispute = Assert.Single(listed.Json.GetProperty("data").EnumerateArray());
            Assert.Equal(("dispute", 3_000L, "needs_response", pspDisputeId), (dispute.GetProperty("object").GetString(),
                dispute.GetProperty("amount_minor").GetInt64(), dispute.GetProperty("status").GetString(), dispute.GetProperty("psp_reference").GetString()));
            Assert.Equal(JsonValueKind.String, dispute.GetProperty("evidence_due_by").ValueKind);
            await Eventually.Until(async () => await platform.ScalarAsync(
                    "SELECT count(*) FROM webhooks_in WHERE payment_id = $1 AND kind = 'dispute_opened'", created.Id) == 1,
                TimeSpan.FromSeconds(15), "the notification stored");
        }
        finally
        {
            await platform.ResetWebhookFaultsAsync(psp);
        }

        await AssertPostedOnceAsync(created.Id, "dispute.created", 3_000);
        var disputeId = Assert.Single((await platform.GetAsync($"/v1/payments/{created.Id}")).Json.GetProperty("disputes").EnumerateArray()).GetProperty("id").GetString();
        Assert.Equal(200, (await platform.GetAsync($"/v1/disputes/{disputeId}")).Status);
        Assert.Equal(404, (await platform.GetAsync($"/v1/disputes/{disputeId}", clientId: PlatformFixture.MerchantB)).Status);

        // The disputed 3,000 went back to the cardholder: only 2,000 is left to refund while the dispute is open.
        var refund = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(2_001));
        Assert.True(refund.Status == 422, refund.ToString());

        using (var close = await platform.Http.PostAsJsonAsync($"{platform.PspUrl}/admin/disputes/{psp}/{pspDisputeId}/close", new { outcome = "won" }, TestContext.Current.CancellationToken))
        {
            Assert.True(close.IsSuccessStatusCode, $"close: {(int)close.StatusCode}");
        }

        await Eventually.Until(() => platform.GetAsync($"/v1/disputes/{disputeId}"), r => r.Json.GetProperty("status").GetString() == "won",
            TimeSpan.FromSeconds(15), "the dispute won");
        await AssertPostedOnceAsync(created.Id, "dispute.won", 3_000);
        var received = await Eventually.Until(() => Task.FromResult(receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList()),
            events => events.Count >= 2, TimeSpan.FromSeconds(15), "both dispute events delivered");
        Assert.Equal(["dispute.created", "dispute.won"], received.Select(e => e.GetProperty("type").GetString()).Distinct().Order());
        Assert.All(received, e => Assert.Equal(disputeId, e.GetProperty("data").GetProperty("object").GetProperty("id").GetString()));
        Assert.Equal(2, received.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(204, (await platform.SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{endpoint.Id}")).Status);
    }

    /// <summary>The event's posting is in the books once: two legs, debits equal to credits, for the amount.</summary>
    private async Task AssertPostedOnceAsync(Guid paymentId, string eventType, long amount)
    {
        await Eventually.Until(async () => await platform.ScalarAsync(
                "SELECT count(*) FROM ledger_entries WHERE payment_id = $1 AND event_type = $2", paymentId, eventType) == 2,
            TimeSpan.FromSeconds(20), $"the {eventType} posting");
        Assert.Equal(amount, await platform.ScalarAsync(
            "SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries WHERE payment_id = $1 AND event_type = $2 AND side = 'D'", paymentId, eventType));
        Assert.Equal(amount, await platform.ScalarAsync(
            "SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries WHERE payment_id = $1 AND event_type = $2 AND side = 'C'", paymentId, eventType));
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_type = 'payment' AND agg_id = $1 AND event_type = $2", paymentId, eventType));
    }
}
