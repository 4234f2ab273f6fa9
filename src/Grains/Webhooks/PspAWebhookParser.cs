using System.Text.Json;
using Payments.Actors.Webhooks;
using static Payments.Actors.Grains.Webhooks.WebhookJson;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>PSP A's (Stripe-like) event body, <c>{id, type, created, data: {object}}</c>, as a <see cref="PspNotification"/> (docs/psp-webhooks.md).</summary>
public static class PspAWebhookParser
{
    public static PspNotification Parse(byte[] body, Guid notificationId)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        var eventId = RequiredString(root, "id");
        var type = RequiredString(root, "type");
        var occurredAt = RequiredUnixTime(root, "created");
        var data = RequiredObject(RequiredObject(root, "data"), "object");
        var notification = new PspNotification(notificationId, WebhookProviders.PspA, eventId, PspNotificationKind.Authorized,
            null, null, null, null, null, null, null, null, null, occurredAt);
        // PSP A's types are "<object>.<event>"; matched as pairs, since its payment captured type is spelled like our own event type but is not it.
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return (dot > 0 ? type[..dot] : type, dot > 0 ? type[(dot + 1)..] : "") switch
        {
            ("payment", "authorized") => Payment(notification, data, PspNotificationKind.Authorized, "amount"),
            ("payment", "captured") => Payment(notification, data, PspNotificationKind.Captured, "captured_amount"),
            ("payment", "canceled") => Payment(notification, data, PspNotificationKind.Voided, "amount"),
            ("payment", "declined") => Payment(notification, data, PspNotificationKind.Declined, "amount") with
            {
                Reason = OptionalString(data, "decline_reason"),
            },
            ("payment", "settled") => Payment(notification, data, PspNotificationKind.CaptureSettled, "captured_amount"),
            ("refund", "succeeded") => Operation(notification, data, "refund", PspNotificationKind.Refunded),
            ("dispute", "created") => Operation(notification, data, "dispute", PspNotificationKind.DisputeOpened) with
            {
                Reason = OptionalString(data, "reason"),
                DisputeDueBy = OptionalUnixTime(data, "due_by"),
            },
            ("dispute", "closed") => Operation(notification, data, "dispute", PspNotificationKind.DisputeClosed) with
            {
                Reason = OptionalString(data, "reason"),
                DisputeOutcome = DisputeOutcome(data),
            },
            _ => throw Unknown("type", type),
        };
    }

    private static PspNotification Payment(PspNotification notification, JsonElement payment, PspNotificationKind kind, string amountMember)
    {
        Expect(payment, "payment");
        return notification with
        {
            Kind = kind,
            PaymentId = RequiredPaymentId(payment, "reference"),
            PspReference = RequiredString(payment, "id"),
            AmountMinor = RequiredAmount(payment, amountMember),
            Currency = RequiredCurrency(payment, "currency"),
        };
    }

    /// <summary>A refund or a dispute: its own id is the operation reference, its <c>payment_id</c> the PSP's payment.</summary>
    private static PspNotification Operation(PspNotification notification, JsonElement operation, string objectType, PspNotificationKind kind)
    {
        Expect(operation, objectType);
        return notification with
        {
            Kind = kind,
            PaymentId = RequiredPaymentId(operation, "reference"),
            PspReference = RequiredString(operation, "payment_id"),
            OperationReference = RequiredString(operation, "id"),
            AmountMinor = RequiredAmount(operation, "amount"),
            Currency = RequiredCurrency(operation, "currency"),
        };
    }

    private static string DisputeOutcome(JsonElement dispute) => RequiredString(dispute, "status") switch
    {
        "won" => "won",
        "lost" => "lost",
        var status => throw Unknown("data.object.status", status),
    };

    private static void Expect(JsonElement value, string objectType)
    {
        if (RequiredString(value, "object") != objectType)
        {
            throw new WebhookParseException($"data.object.object must be '{objectType}' for this type");
        }
    }
}
