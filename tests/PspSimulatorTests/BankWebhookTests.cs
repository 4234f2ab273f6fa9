using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(WebhookCollection.Name)]
public sealed class BankWebhookTests(WebhookFixture fixture) : IAsyncLifetime
{
    private const string Transfers = "/bank/v2/transfers";
    private const string GoodIban = "DE89370400440532013000";
    private readonly SimulatorHost _host = fixture.Host;
    private readonly WebhookReceiver _receiver = fixture.Receiver;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await fixture.QuiesceAsync(CancellationToken.None);

    [Fact]
    public async Task ABookedTransferIsNotifiedWithTheDocumentedBodySignedWithTheCurrentKey()
    {
        var reference = Bodies.NewReference();
        var transfer = await WebhookAssert.PostJsonAsync(_host, Transfers, Bodies.NewKey(), Bodies.BankTransfer(reference, GoodIban, "12.5"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        var header = WebhookVerifier.Parts(webhook.Headers["X-Bank-Signature"]);
        Assert.Equal(["keyId", "ts", "sig"], header.Select(static p => p.Key));
        Assert.Equal(WebhookFixture.BankKeyId, header[0].Value);
        Assert.Matches("^[0-9a-f]{64}$", header[2].Value);
        var body = webhook.Json;
        WebhookAssert.HasMembers(body, "notification_id", "event", "occurred_at", "transfer");
        Assert.StartsWith("BN", webhook.Id, StringComparison.Ordinal);
        Assert.Equal("transfer.booked", webhook.Type);
        var occurredAt = DateTimeOffset.ParseExact(
            body.GetProperty("occurred_at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        WebhookAssert.IsNear(TimeProvider.System.GetUtcNow(), occurredAt, TimeSpan.FromMinutes(1));
        var notified = body.GetProperty("transfer");
        WebhookAssert.HasMembers(notified, "bank_transfer_id", "transfer_ref", "direction", "state", "reason_code", "value");
        Assert.Equal(transfer.GetProperty("bank_transfer_id").GetString(), notified.GetProperty("bank_transfer_id").GetString());
        Assert.Equal(["CREDIT", "BOOKED"], new[] { "direction", "state" }.Select(n => notified.GetProperty(n).GetString()));
        Assert.Equal(JsonValueKind.Null, notified.GetProperty("reason_code").ValueKind);
        WebhookAssert.HasMembers(notified.GetProperty("value"), "amount", "currency");
        Assert.Equal("12.50", notified.GetProperty("value").GetProperty("amount").GetString());
        Assert.Equal("EUR", notified.GetProperty("value").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task ARejectedTransferIsNotifiedWithItsReasonCode()
    {
        var reference = Bodies.NewReference();
        await WebhookAssert.PostJsonAsync(_host, Transfers, Bodies.NewKey(), Bodies.BankTransfer(reference, "DE89370400440532010000", "1.5", "KWD", "DEBIT"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        WebhookAssert.AllSignedAndClean([webhook]);
        Assert.Equal("transfer.rejected", webhook.Type);
        var notified = webhook.Json.GetProperty("transfer");
        Assert.Equal(["DEBIT", "REJECTED", "AC04"], new[] { "direction", "state", "reason_code" }.Select(n => notified.GetProperty(n).GetString()));
        Assert.Equal("1.500", notified.GetProperty("value").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task APendingTransferIsNotifiedOnlyOnceItBooks()
    {
        var reference = Bodies.NewReference();
        var started = TimeProvider.System.GetTimestamp();
        var transfer = await WebhookAssert.PostJsonAsync(_host, Transfers, Bodies.NewKey(), Bodies.BankTransfer(reference, "DE89370400440532011111", "10.00"), HttpStatusCode.OK, Ct);

        var webhook = Assert.Single(await _receiver.WaitForAsync(reference, 1, Ct));

        Assert.Equal("PENDING", transfer.GetProperty("state").GetString());
        WebhookAssert.AllSignedAndClean([webhook]);
        Assert.Equal("transfer.booked", webhook.Type);
        Assert.Equal("BOOKED", webhook.Json.GetProperty("transfer").GetProperty("state").GetString());
        var waited = TimeProvider.System.GetElapsedTime(started, webhook.ReceivedTimestamp);
        Assert.True(waited >= TimeSpan.FromMilliseconds(WebhookFixture.PendingDurationMs - 10), $"notified after {waited.TotalMilliseconds:0} ms, before the transfer booked");
    }
}
