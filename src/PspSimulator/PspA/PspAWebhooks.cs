using System.Text.Json.Serialization.Metadata;
using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's notification types and bodies (docs/psp-webhooks.md, "PSP A").</summary>
internal static class PspAWebhooks
{
    public const string PaymentAuthorized = "payment.authorized";
    public const string PaymentCaptured = "payment.captured";
    public const string PaymentCanceled = "payment.canceled";
    public const string PaymentDeclined = "payment.declined";
    public const string PaymentSettled = "payment.settled";
    public const string RefundSucceeded = "refund.succeeded";
    public const string DisputeCreated = "dispute.created";
    public const string DisputeClosed = "dispute.closed";

    /// <summary>The notification for a new payment: declined, authorized, or captured when it was a sale (one outcome, one notification).</summary>
    public static string TypeOfNew(PspAPaymentResponse payment) => payment.Status switch
    {
        PspAPaymentStatus.Declined => PaymentDeclined,
        PspAPaymentStatus.Captured => PaymentCaptured,
        _ => PaymentAuthorized,
    };

    public static WebhookNotification Payment(string type, PspAPaymentResponse payment, DateTimeOffset at) =>
        Event(
            type,
            payment.Reference,
            new PspAPaymentObject(
                "payment", payment.Id, payment.Reference, payment.Status, payment.Amount, payment.Currency,
                payment.CapturedAmount, payment.RefundedAmount, payment.DeclineReason),
            PspAJsonContext.Default.PspAEventPspAPaymentObject,
            at);

    public static WebhookNotification Refund(PspARefundResponse refund, PspAPayment payment, DateTimeOffset at) =>
        Event(
            RefundSucceeded,
            payment.Reference,
            new PspARefundObject("refund", refund.Id, payment.Id, payment.Reference, refund.Amount, payment.Currency),
            PspAJsonContext.Default.PspAEventPspARefundObject,
            at);

    public static WebhookNotification Dispute(string type, Dispute dispute, string? status, DateTimeOffset at) =>
        Event(
            type,
            dispute.Reference,
            new PspADisputeObject(
                "dispute", dispute.Id, dispute.ChargeId, dispute.Reference, dispute.AmountMinor, dispute.Currency, dispute.Reason,
                dispute.DueBy.ToUnixTimeSeconds(), status),
            PspAJsonContext.Default.PspAEventPspADisputeObject,
            at);

    private static WebhookNotification Event<TObject>(string type, string reference, TObject value, JsonTypeInfo<PspAEvent<TObject>> typeInfo, DateTimeOffset at)
    {
        var id = "evt_" + Guid.CreateVersion7(at).ToString("N");
        var body = WireJson.Write(new PspAEvent<TObject>(id, type, at.ToUnixTimeSeconds(), new PspAEventData<TObject>(value)), typeInfo);
        return new WebhookNotification(id, type, reference, body, at);
    }
}
