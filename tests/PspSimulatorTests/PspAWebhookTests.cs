using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(WebhookCollection.Name)]
public sealed class PspAWebhookTests(WebhookFixture fixture) : IAsyncLifetime
{
    private const string Payments = "/psp-a/v1/payments";
    private static readonly string[] PaymentMembers =
        ["object", "id", "reference", "status", "amount", "currency", "captured_amount", "refunded_amount", "decline_reason"];

    private readonly SimulatorHost _host = fixture.Host;
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await fixture.QuiesceAsync(CancellationToken.None);

    [Fact]
    public async Task AnAuthorizedPaymentIsNotifiedAsPaymentAuthorizedWithTheDocumentedBodyAndSignature()
    {
        var reference = WebhookAssert.NewPaymentId();
        var payment = await WebhookAssert.PostJsonAsync(
            _host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242", amount: 1250, currency: "EUR"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", webhook.Headers["X-Request-Signature"]);
        Assert.StartsWith("application/json", webhook.Headers["Content-Type"], StringComparison.Ordinal);
        var body = webhook.Json;
        WebhookAssert.HasMembers(body, "id", "type", "created", "data");
        Assert.StartsWith("evt_", webhook.Id, StringComparison.Ordinal);
        Assert.Equal("payment.authorized", webhook.Type);
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow(), DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("created").GetInt64()), TimeSpan.FromMinutes(1));
        WebhookAssert.HasMembers(body.GetProperty("data"), "object");
        var payload = body.GetProperty("data").GetProperty("object");
        WebhookAssert.HasMembers(payload, PaymentMembers);
        Assert.Equal("payment", payload.GetProperty("object").GetString());
        Assert.Equal(payment.GetProperty("id").GetString(), payload.GetProperty("id").GetString());
        Assert.Equal(reference, payload.GetProperty("reference").GetString());
        Assert.Equal("authorized", payload.GetProperty("status").GetString());
        Assert.Equal(1250, payload.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", payload.GetProperty("currency").GetString());
        Assert.Equal(0, payload.GetProperty("captured_amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("decline_reason").ValueKind);
    }

    [Fact]
    public async Task ADeclinedPaymentIsNotifiedAsPaymentDeclinedWithItsReason()
    {
        var reference = WebhookAssert.NewPaymentId();
        await WebhookAssert.PostJsonAsync(_host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4000000000009995"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        Assert.Equal("payment.declined", webhook.Type);
        var payload = webhook.Json.GetProperty("data").GetProperty("object");
        Assert.Equal("declined", payload.GetProperty("status").GetString());
        Assert.Equal("insufficient_funds", payload.GetProperty("decline_reason").GetString());
    }

    [Fact]
    public async Task ACaptureARefundASettlementAndADisputeAreNotifiedInDecisionOrder()
    {
        var reference = WebhookAssert.NewPaymentId();
        var payment = await WebhookAssert.PostJsonAsync(
            _host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242", amount: 1000, currency: "EUR"), HttpStatusCode.OK, Ct);
        var id = payment.GetProperty("id").GetString()!;
        await WebhookAssert.PostJsonAsync(_host, $"{Payments}/{id}/capture", Bodies.NewKey(), """{"amount":600}""", HttpStatusCode.OK, Ct);
        var refund = await WebhookAssert.PostJsonAsync(_host, $"{Payments}/{id}/refunds", Bodies.NewKey(), """{"amount":200}""", HttpStatusCode.OK, Ct);
        var settlement = await WebhookAssert.AdminPostAsync(_host, "/admin/settle/psp-a", "", HttpStatusCode.OK, Ct);
        var dispute = await WebhookAssert.AdminPostAsync(
            _host, "/admin/disputes/psp-a", $$"""{"reference":"{{reference}}","amount":300,"reason":"fraudulent","due_in_days":7}""", HttpStatusCode.Created, Ct);
        var disputeId = dispute.GetProperty("id").GetString()!;
        var closed = await WebhookAssert.AdminPostAsync(_host, $"/admin/disputes/psp-a/{disputeId}/close", """{"outcome":"lost"}""", HttpStatusCode.OK, Ct);

        var received = await _receiver.WaitForAsync(reference, 6, Ct);

        WebhookAssert.AllSignedAndClean(received);
        Assert.Equal(
            ["payment.authorized", "payment.captured", "refund.succeeded", "payment.settled", "dispute.created", "dispute.closed"],
            received.Select(static w => w.Type));
        Assert.Equal(6, received.Select(static w => w.Id).Distinct().Count());
        Assert.True(settlement.GetProperty("settled").GetInt32() >= 1);
        Assert.Equal("lost", closed.GetProperty("status").GetString());
        Assert.StartsWith("dp_", disputeId, StringComparison.Ordinal);

        var captured = received[1].Json.GetProperty("data").GetProperty("object");
        Assert.Equal(600, captured.GetProperty("captured_amount").GetInt64());
        var refunded = received[2].Json.GetProperty("data").GetProperty("object");
        WebhookAssert.HasMembers(refunded, "object", "id", "payment_id", "reference", "amount", "currency");
        Assert.Equal(["refund", refund.GetProperty("id").GetString(), id, reference], new[] { "object", "id", "payment_id", "reference" }.Select(n => refunded.GetProperty(n).GetString()));
        Assert.Equal(200, refunded.GetProperty("amount").GetInt64());
        var settled = received[3].Json.GetProperty("data").GetProperty("object");
        WebhookAssert.HasMembers(settled, PaymentMembers);
        Assert.Equal(600, settled.GetProperty("captured_amount").GetInt64());
        Assert.Equal(200, settled.GetProperty("refunded_amount").GetInt64());

        var opened = received[4].Json.GetProperty("data").GetProperty("object");
        WebhookAssert.HasMembers(opened, "object", "id", "payment_id", "reference", "amount", "currency", "reason", "due_by");
        Assert.Equal(["dispute", disputeId, id, reference, "fraudulent"], new[] { "object", "id", "payment_id", "reference", "reason" }.Select(n => opened.GetProperty(n).GetString()));
        Assert.Equal(300, opened.GetProperty("amount").GetInt64());
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow().AddDays(7), DateTimeOffset.FromUnixTimeSeconds(opened.GetProperty("due_by").GetInt64()), TimeSpan.FromMinutes(1));
        var lost = received[5].Json.GetProperty("data").GetProperty("object");
        WebhookAssert.HasMembers(lost, "object", "id", "payment_id", "reference", "amount", "currency", "reason", "due_by", "status");
        Assert.Equal(disputeId, lost.GetProperty("id").GetString());
        Assert.Equal("lost", lost.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACancelIsNotifiedAsPaymentCanceled()
    {
        var reference = WebhookAssert.NewPaymentId();
        var payment = await WebhookAssert.PostJsonAsync(_host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242"), HttpStatusCode.OK, Ct);
        await WebhookAssert.PostJsonAsync(_host, $"{Payments}/{payment.GetProperty("id").GetString()}/cancel", Bodies.NewKey(), "", HttpStatusCode.OK, Ct);

        var received = await _receiver.WaitForAsync(reference, 2, Ct);

        WebhookAssert.AllSignedAndClean(received);
        Assert.Equal(["payment.authorized", "payment.canceled"], received.Select(static w => w.Type));
        Assert.Equal("canceled", received[1].Json.GetProperty("data").GetProperty("object").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ASaleIsOneOutcomeNotifiedOnceAsPaymentCaptured()
    {
        var reference = WebhookAssert.NewPaymentId();
        var barrier = WebhookAssert.NewPaymentId();
        await WebhookAssert.PostJsonAsync(_host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242", capture: true), HttpStatusCode.OK, Ct);
        await WebhookAssert.PostJsonAsync(_host, Payments, Bodies.NewKey(), Bodies.PspAPayment(barrier, "4242424242424242"), HttpStatusCode.OK, Ct);

        // Notifications go in decision order: once the later payment's has arrived, the sale's are all in.
        await _receiver.WaitForAsync(barrier, 1, Ct);

        var webhook = Assert.Single(_receiver.For(reference));
        Assert.Equal("payment.captured", webhook.Type);
        Assert.Equal(1000, webhook.Json.GetProperty("data").GetProperty("object").GetProperty("captured_amount").GetInt64());
    }

    [Fact]
    public async Task DisputesAreRefusedOnChargesThatAreNotCapturedAndOnTheBank()
    {
        var reference = WebhookAssert.NewPaymentId();
        await WebhookAssert.PostJsonAsync(_host, Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242"), HttpStatusCode.OK, Ct);

        var notCaptured = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/psp-a", $$"""{"reference":"{{reference}}"}""", HttpStatusCode.Conflict, Ct);
        var unknown = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/psp-a", """{"reference":"no-such-charge"}""", HttpStatusCode.NotFound, Ct);
        var bank = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/bank", $$"""{"reference":"{{reference}}"}""", HttpStatusCode.BadRequest, Ct);
        var settleBank = await WebhookAssert.AdminPostAsync(_host, "/admin/settle/bank", "", HttpStatusCode.BadRequest, Ct);

        Assert.Equal("charge_not_captured", notCaptured.GetProperty("error").GetString());
        Assert.Equal("charge_not_found", unknown.GetProperty("error").GetString());
        Assert.Equal("not_supported", bank.GetProperty("error").GetString());
        Assert.Equal("not_supported", settleBank.GetProperty("error").GetString());
    }
}
