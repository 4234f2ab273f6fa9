using System.Text;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Webhooks;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>Every event type of docs/psp-webhooks.md, per provider, to the right <see cref="PspNotification"/>; and what cannot be read.</summary>
public sealed class WebhookParserTests
{
    private static readonly Guid NotificationId = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid PaymentId = Guid.Parse("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c");
    private static readonly string Reference = PaymentId.ToString("N");
    private const string Sha = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

    [Theory]
    [InlineData("payment.authorized", PspNotificationKind.Authorized, 1250L)]
    [InlineData("payment.captured", PspNotificationKind.Captured, 1000L)]
    [InlineData("payment.canceled", PspNotificationKind.Voided, 1250L)]
    [InlineData("payment.settled", PspNotificationKind.CaptureSettled, 1000L)]
    public void PspAPaymentEventsNameThePaymentItsPspReferenceAndTheAmountTheyAreAbout(string type, PspNotificationKind kind, long amount)
    {
        var n = Parsed("psp-a", PspAPayment(type, declineReason: null));

        Assert.Equal((NotificationId, "psp-a", "evt_01J", kind, PaymentId), (n.NotificationId, n.Provider, n.ProviderEventId, n.Kind, n.PaymentId));
        Assert.Equal(("pa_9", (string?)null, amount, "EUR"), (n.PspReference, n.OperationReference, n.AmountMinor!.Value, n.Currency));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764770000), n.OccurredAt);
        Assert.Null(n.TransferRef);
        Assert.Null(n.Reason);
    }

    [Fact]
    public void PspADeclinedCarriesTheDeclineReason()
    {
        var n = Parsed("psp-a", PspAPayment("payment.declined", declineReason: "insufficient_funds"));

        Assert.Equal((PspNotificationKind.Declined, "insufficient_funds"), (n.Kind, n.Reason));
    }

    [Fact]
    public void PspARefundSucceededNamesTheRefundAsTheOperationAndThePaymentByBothIds()
    {
        var n = Parsed("psp-a", PspAEvent("refund.succeeded",
            $$"""{"object":"refund","id":"re_7","payment_id":"pa_9","reference":"{{Reference}}","amount":300,"currency":"EUR"}"""));

        Assert.Equal((PspNotificationKind.Refunded, PaymentId, "pa_9", "re_7", 300L, "EUR"),
            (n.Kind, n.PaymentId!.Value, n.PspReference, n.OperationReference, n.AmountMinor!.Value, n.Currency));
    }

    [Fact]
    public void PspADisputeCreatedCarriesItsReasonAndDeadline()
    {
        var n = Parsed("psp-a", PspAEvent("dispute.created",
            $$"""{"object":"dispute","id":"dp_3","payment_id":"pa_9","reference":"{{Reference}}","amount":1250,"currency":"EUR","reason":"fraudulent","due_by":1765000000}"""));

        Assert.Equal((PspNotificationKind.DisputeOpened, "dp_3", "fraudulent", DateTimeOffset.FromUnixTimeSeconds(1765000000)),
            (n.Kind, n.OperationReference, n.Reason, n.DisputeDueBy!.Value));
        Assert.Null(n.DisputeOutcome);
    }

    [Theory]
    [InlineData("won")]
    [InlineData("lost")]
    public void PspADisputeClosedCarriesItsOutcome(string status)
    {
        var n = Parsed("psp-a", PspAEvent("dispute.closed",
            $$"""{"object":"dispute","id":"dp_3","payment_id":"pa_9","reference":"{{Reference}}","amount":1250,"currency":"EUR","reason":"fraudulent","status":"{{status}}"}"""));

        Assert.Equal((PspNotificationKind.DisputeClosed, status), (n.Kind, n.DisputeOutcome));
    }

    [Theory]
    [InlineData("AUTHORISATION", true, PspNotificationKind.Authorized)]
    [InlineData("AUTHORISATION", false, PspNotificationKind.Declined)]
    [InlineData("CAPTURE", true, PspNotificationKind.Captured)]
    [InlineData("CANCELLATION", true, PspNotificationKind.Voided)]
    [InlineData("REFUND", true, PspNotificationKind.Refunded)]
    [InlineData("SETTLEMENT", true, PspNotificationKind.CaptureSettled)]
    [InlineData("CHARGEBACK", true, PspNotificationKind.DisputeOpened)]
    [InlineData("CHARGEBACK_REVERSED", true, PspNotificationKind.DisputeClosed)]
    [InlineData("CHARGEBACK_FINAL", true, PspNotificationKind.DisputeClosed)]
    public void PspBEventCodesMapToTheirKinds(string eventCode, bool success, PspNotificationKind kind)
    {
        var n = Parsed("psp-b", PspB(eventCode, success));

        Assert.Equal((NotificationId, "psp-b", "N123", kind, PaymentId), (n.NotificationId, n.Provider, n.ProviderEventId, n.Kind, n.PaymentId));
        Assert.Equal(("B77", 1250L, "EUR", new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero)),
            (n.PspReference, n.AmountMinor!.Value, n.Currency, n.OccurredAt));
        var isOperation = eventCode is "REFUND" or "CHARGEBACK" or "CHARGEBACK_REVERSED" or "CHARGEBACK_FINAL";
        Assert.Equal(isOperation ? "B77:R1" : null, n.OperationReference);
        Assert.Equal(eventCode switch { "CHARGEBACK_REVERSED" => "won", "CHARGEBACK_FINAL" => "lost", _ => null }, n.DisputeOutcome);
    }

    [Fact]
    public void PspBDeclineReasonIsTheResponseCodeAndAChargebackCarriesItsReasonAndDeadline()
    {
        Assert.Equal("05", Parsed("psp-b", PspB("AUTHORISATION", false)).Reason);
        var chargeback = Parsed("psp-b", PspB("CHARGEBACK", true, reason: "\"fraud\"", deadline: "\"2026-12-20T00:00:00Z\""));
        Assert.Equal(("fraud", new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero)), (chargeback.Reason, chargeback.DisputeDueBy!.Value));
    }

    [Theory]
    [InlineData("transfer.booked", PspNotificationKind.TransferBooked, "EUR", "12.50", 1250L, null)]
    [InlineData("transfer.rejected", PspNotificationKind.TransferRejected, "EUR", "0.99", 99L, "AC04")]
    [InlineData("transfer.booked", PspNotificationKind.TransferBooked, "JPY", "1250", 1250L, null)]
    [InlineData("transfer.booked", PspNotificationKind.TransferBooked, "KWD", "1.250", 1250L, null)]
    public void BankTransfersNameTheirReferenceAndConvertMajorUnitsExactly(string @event, PspNotificationKind kind, string currency, string amount,
        long minor, string? reason)
    {
        var n = Parsed("bank", Bank(@event, amount, currency, reason is null ? "null" : $"\"{reason}\""));

        Assert.Equal((NotificationId, "bank", "BN1", kind), (n.NotificationId, n.Provider, n.ProviderEventId, n.Kind));
        Assert.Equal(("tr-42", "BT9", minor, currency, reason), (n.TransferRef, n.PspReference, n.AmountMinor!.Value, n.Currency, n.Reason));
        Assert.Null(n.PaymentId);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), n.OccurredAt);
    }

    [Theory]
    [InlineData("psp-a", "not json at all")]
    [InlineData("psp-a", "[1,2,3]")]
    [InlineData("psp-a", """{"id":"evt_1","type":"payment.exploded","created":1764770000,"data":{"object":{}}}""")]
    [InlineData("psp-a", """{"id":"evt_1","type":"payment.captured","created":1764770000,"data":{"object":{"object":"payment","id":"pa_1","reference":"order-1","amount":1,"currency":"EUR","captured_amount":1}}}""")]
    [InlineData("psp-a", """{"id":"evt_1","type":"payment.captured","created":"yesterday","data":{"object":{}}}""")]
    [InlineData("psp-a", """{"id":"evt_1","id":"evt_2","type":"payment.captured","created":1764770000,"data":{"object":{}}}""")]
    [InlineData("psp-a", """{"id":"evt\u00001","type":"payment.captured","created":1764770000,"data":{"object":{}}}""")]
    [InlineData("psp-b", """{"notificationId":"N1","eventCode":"CAPTURE","success":false,"eventDate":"2026-12-03T10:00:00Z","merchantTxnId":"0195a1b2c3d47e5f8a9b0c1d2e3f4a5c","txnId":"B1","amountCents":1,"ccy":"EUR"}""")]
    [InlineData("psp-b", """{"notificationId":"N1","eventCode":"CAPTURE","success":true,"eventDate":"2026-12-03T10:00:00Z","merchantTxnId":"0195a1b2c3d47e5f8a9b0c1d2e3f4a5c","txnId":"B1","amountCents":12.5,"ccy":"EUR"}""")]
    [InlineData("psp-b", """{"notificationId":"N1","eventCode":"CAPTURE","success":true,"eventDate":"2026-12-03T10:00:00Z","merchantTxnId":"0195a1b2c3d47e5f8a9b0c1d2e3f4a5c","txnId":"B1","amountCents":1,"ccy":"XYZ"}""")]
    [InlineData("bank", """{"notification_id":"BN1","event":"transfer.booked","occurred_at":"2026-12-03T10:00:00Z","transfer":{"bank_transfer_id":"BT9","transfer_ref":"tr-42","value":{"amount":"12.5","currency":"EUR"}}}""")]
    [InlineData("bank", """{"notification_id":"BN1","event":"transfer.booked","occurred_at":"2026-12-03T10:00:00Z","transfer":{"bank_transfer_id":"BT9","transfer_ref":"tr-42","value":{"amount":12.50,"currency":"EUR"}}}""")]
    [InlineData("bank", "")]
    public void ABodyThatDoesNotFitItsProvidersContractIsAParseErrorKeyedByTheBodysHash(string provider, string body)
    {
        var parse = WebhookParsers.Parse(provider, Encoding.UTF8.GetBytes(body), NotificationId, Sha);

        Assert.Null(parse.Notification);
        Assert.Equal("sha256:" + Sha, parse.ProviderEventId);
        Assert.False(string.IsNullOrWhiteSpace(parse.Error));
        Assert.DoesNotContain(parse.Error!, c => char.IsControl(c));
    }

    private static PspNotification Parsed(string provider, string body)
    {
        var parse = WebhookParsers.Parse(provider, Encoding.UTF8.GetBytes(body), NotificationId, Sha);
        Assert.True(parse.Error is null, parse.Error);
        Assert.Equal(parse.Notification!.ProviderEventId, parse.ProviderEventId);
        return parse.Notification;
    }

    private static string PspAPayment(string type, string? declineReason) =>
        PspAEvent(type, $$"""
            {"object":"payment","id":"pa_9","reference":"{{Reference}}","status":"x","amount":1250,"currency":"EUR",
             "captured_amount":1000,"refunded_amount":0,"decline_reason":{{(declineReason is null ? "null" : $"\"{declineReason}\"")}}}
            """);

    private static string PspAEvent(string type, string dataObject) =>
        $$$"""{"id":"evt_01J","type":"{{{type}}}","created":1764770000,"data":{"object":{{{dataObject}}} } }""";

    private static string PspB(string eventCode, bool success, string reason = "null", string deadline = "null") => $$"""
        {"notificationId":"N123","eventCode":"{{eventCode}}","success":{{(success ? "true" : "false")}},"eventDate":"2026-12-03T10:00:00Z",
         "merchantTxnId":"{{Reference}}","txnId":"B77","pspReference":"B77:R1","amountCents":1250,"ccy":"EUR",
         "responseCode":"05","reason":{{reason}},"defenseDeadline":{{deadline}}}
        """;

    private static string Bank(string @event, string amount, string currency, string reasonCode) => $$$"""
        {"notification_id":"BN1","event":"{{{@event}}}","occurred_at":"2026-12-03T10:00:00Z",
         "transfer":{"bank_transfer_id":"BT9","transfer_ref":"tr-42","direction":"CREDIT","state":"BOOKED","reason_code":{{{reasonCode}}},
                     "value":{"amount":"{{{amount}}}","currency":"{{{currency}}}"} } }
        """;
}
