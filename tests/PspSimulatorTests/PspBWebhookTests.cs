using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(WebhookCollection.Name)]
public sealed class PspBWebhookTests(WebhookFixture fixture) : IAsyncLifetime
{
    private const string Transactions = "/psp-b/api/transactions";
    private const string IsoSeconds = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static readonly string[] Members =
    [
        "notificationId", "eventCode", "success", "eventDate", "merchantTxnId", "txnId", "pspReference",
        "amountCents", "ccy", "responseCode", "reason", "defenseDeadline",
    ];

    private readonly SimulatorHost _host = fixture.Host;
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await fixture.QuiesceAsync(CancellationToken.None);

    [Fact]
    public async Task AnApprovedAuthIsNotifiedAsASuccessfulAuthorisationWithTheDocumentedBodyAndSignature()
    {
        var reference = WebhookAssert.NewPaymentId();
        var txn = await WebhookAssert.PostJsonAsync(_host, Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reference, "4242424242424242", 1250), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        var timestamp = DateTimeOffset.ParseExact(webhook.Headers["X-PSPB-Timestamp"], IsoSeconds, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow(), timestamp, TimeSpan.FromMinutes(1));
        Assert.Equal(88, webhook.Headers["X-PSPB-Signature"].Length);
        var body = webhook.Json;
        WebhookAssert.HasMembers(body, Members);
        Assert.StartsWith("N", webhook.Id, StringComparison.Ordinal);
        Assert.Equal("AUTHORISATION", webhook.Type);
        Assert.True(body.GetProperty("success").GetBoolean());
        var eventDate = DateTimeOffset.ParseExact(body.GetProperty("eventDate").GetString()!, IsoSeconds, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow(), eventDate, TimeSpan.FromMinutes(1));
        Assert.Equal(txn.GetProperty("txnId").GetString(), body.GetProperty("txnId").GetString());
        Assert.Equal(txn.GetProperty("txnId").GetString(), body.GetProperty("pspReference").GetString());
        Assert.Equal(1250, body.GetProperty("amountCents").GetInt64());
        Assert.Equal("USD", body.GetProperty("ccy").GetString());
        Assert.Equal("00", body.GetProperty("responseCode").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("defenseDeadline").ValueKind);
    }

    [Fact]
    public async Task ADeclineIsNotifiedAsAnUnsuccessfulAuthorisationWithItsResponseCode()
    {
        var reference = WebhookAssert.NewPaymentId();
        await WebhookAssert.PostJsonAsync(_host, Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reference, "4000000000000002"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        Assert.Equal("AUTHORISATION", webhook.Type);
        Assert.False(webhook.Json.GetProperty("success").GetBoolean());
        Assert.Equal("05", webhook.Json.GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task ACaptureACreditASettlementAndAChargebackAreNotifiedInDecisionOrder()
    {
        var reference = WebhookAssert.NewPaymentId();
        var txn = await WebhookAssert.PostJsonAsync(_host, Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reference, "4242424242424242", 1000), HttpStatusCode.OK, Ct);
        var txnId = txn.GetProperty("txnId").GetString()!;
        await WebhookAssert.PostJsonAsync(_host, $"{Transactions}/{txnId}/settle", Bodies.NewKey(), """{"amountCents":700}""", HttpStatusCode.OK, Ct);
        await WebhookAssert.PostJsonAsync(_host, $"{Transactions}/{txnId}/credit", Bodies.NewKey(), """{"amountCents":200}""", HttpStatusCode.OK, Ct);
        await WebhookAssert.AdminPostAsync(_host, "/admin/settle/psp-b", "", HttpStatusCode.OK, Ct);
        var dispute = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/psp-b", $$"""{"reference":"{{txnId}}","due_in_days":10}""", HttpStatusCode.Created, Ct);
        var disputeId = dispute.GetProperty("id").GetString()!;
        await WebhookAssert.AdminPostAsync(_host, $"/admin/disputes/psp-b/{disputeId}/close", """{"outcome":"won"}""", HttpStatusCode.OK, Ct);

        var received = await _receiver.WaitForAsync(reference, 6, Ct);

        WebhookAssert.AllSignedAndClean(received);
        Assert.Equal(["AUTHORISATION", "CAPTURE", "REFUND", "SETTLEMENT", "CHARGEBACK", "CHARGEBACK_REVERSED"], received.Select(static w => w.Type));
        Assert.All(received, w => WebhookAssert.HasMembers(w.Json, Members));
        Assert.All(received, w => Assert.Equal(txnId, w.Json.GetProperty("txnId").GetString()));
        Assert.Equal([1000L, 700, 200, 700, 700, 700], received.Select(static w => w.Json.GetProperty("amountCents").GetInt64()));
        Assert.Equal(
            [txnId, txnId, txnId + ":R1", txnId, disputeId, disputeId],
            received.Select(static w => w.Json.GetProperty("pspReference").GetString()));
        Assert.Equal(txnId + ":D1", disputeId);
        var chargeback = received[4].Json;
        Assert.Equal("fraudulent", chargeback.GetProperty("reason").GetString());
        var deadline = DateTimeOffset.ParseExact(chargeback.GetProperty("defenseDeadline").GetString()!, IsoSeconds, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow().AddDays(10), deadline, TimeSpan.FromMinutes(1));
        var charges = await _host.ChargesAsync("psp-b", reference, Ct);
        Assert.True(Assert.Single(charges.EnumerateArray()).GetProperty("settled").GetBoolean());
    }

    [Fact]
    public async Task AReversalIsNotifiedAsACancellationAndALostChargebackAsFinal()
    {
        var reversed = WebhookAssert.NewPaymentId();
        var txn = await WebhookAssert.PostJsonAsync(_host, Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reversed, "4242424242424242"), HttpStatusCode.OK, Ct);
        await WebhookAssert.PostJsonAsync(_host, $"{Transactions}/{txn.GetProperty("txnId").GetString()}/reverse", Bodies.NewKey(), "", HttpStatusCode.OK, Ct);
        var sale = WebhookAssert.NewPaymentId();
        await WebhookAssert.PostJsonAsync(_host, Transactions, Bodies.NewKey(), Bodies.PspBTransaction(sale, "4242424242424242", txnType: "SALE"), HttpStatusCode.OK, Ct);
        var dispute = await WebhookAssert.AdminPostAsync(_host, "/admin/disputes/psp-b", $$"""{"reference":"{{sale}}","amount":400}""", HttpStatusCode.Created, Ct);
        await WebhookAssert.AdminPostAsync(_host, $"/admin/disputes/psp-b/{dispute.GetProperty("id").GetString()}/close", """{"outcome":"lost"}""", HttpStatusCode.OK, Ct);

        var cancellation = await _receiver.WaitForAsync(reversed, 2, Ct);
        var chargeback = await _receiver.WaitForAsync(sale, 3, Ct);

        WebhookAssert.AllSignedAndClean([.. cancellation, .. chargeback]);
        Assert.Equal(["AUTHORISATION", "CANCELLATION"], cancellation.Select(static w => w.Type));
        Assert.Equal(["CAPTURE", "CHARGEBACK", "CHARGEBACK_FINAL"], chargeback.Select(static w => w.Type));
        Assert.Equal(400, chargeback[2].Json.GetProperty("amountCents").GetInt64());
        var again = await WebhookAssert.AdminPostAsync(
            _host, $"/admin/disputes/psp-b/{dispute.GetProperty("id").GetString()}/close", """{"outcome":"won"}""", HttpStatusCode.Conflict, Ct);
        Assert.Equal("dispute_closed", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ASlowCardIsNotifiedWhileItsAnswerIsStillHeldBack()
    {
        var reference = WebhookAssert.NewPaymentId();

        var answer = _host.PostAsync(Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reference, "4000000000000259"), Ct);
        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        Assert.False(answer.IsCompleted, "the answer is held back SlowCardDelayMs; the notification must not wait for it");
        Assert.Equal("AUTHORISATION", webhook.Type);
        Assert.True(webhook.Json.GetProperty("success").GetBoolean());
        using var response = await answer;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
