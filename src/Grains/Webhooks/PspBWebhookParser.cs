using System.Text.Json;
using Payments.Actors.Webhooks;
using static Payments.Actors.Grains.Webhooks.WebhookJson;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>PSP B's (Adyen-like) notification body, camelCase with an <c>eventCode</c>, as a <see cref="PspNotification"/> (docs/psp-webhooks.md).</summary>
public static class PspBWebhookParser
{
    public static PspNotification Parse(byte[] body, Guid notificationId)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        var eventCode = RequiredString(root, "eventCode");
        var success = RequiredBool(root, "success");
        var notification = new PspNotification(notificationId, WebhookProviders.PspB, RequiredString(root, "notificationId"),
            PspNotificationKind.Authorized, RequiredPaymentId(root, "merchantTxnId"), null, RequiredString(root, "txnId"), null,
            RequiredAmount(root, "amountCents"), RequiredCurrency(root, "ccy"), null, null, null, RequiredTime(root, "eventDate"));
        if (eventCode == "AUTHORISATION")
        {
            return success
                ? notification
                : notification with { Kind = PspNotificationKind.Declined, Reason = OptionalString(root, "responseCode") };
        }

        if (!success)
        {
            throw new WebhookParseException($"eventCode {Printable(eventCode)} with success=false names no outcome this platform knows");
        }

        return eventCode switch
        {
            "CAPTURE" => notification with { Kind = PspNotificationKind.Captured },
            "CANCELLATION" => notification with { Kind = PspNotificationKind.Voided },
            "REFUND" => notification with { Kind = PspNotificationKind.Refunded, OperationReference = RequiredString(root, "pspReference") },
            "SETTLEMENT" => notification with { Kind = PspNotificationKind.CaptureSettled },
            "CHARGEBACK" => Dispute(notification, root, PspNotificationKind.DisputeOpened, null) with
            {
                DisputeDueBy = OptionalTime(root, "defenseDeadline"),
            },
            "CHARGEBACK_REVERSED" => Dispute(notification, root, PspNotificationKind.DisputeClosed, "won"),
            "CHARGEBACK_FINAL" => Dispute(notification, root, PspNotificationKind.DisputeClosed, "lost"),
            _ => throw Unknown("eventCode", eventCode),
        };
    }

    /// <summary>A chargeback: <c>pspReference</c> names the dispute.</summary>
    private static PspNotification Dispute(PspNotification notification, JsonElement root, PspNotificationKind kind, string? outcome) =>
        notification with
        {
            Kind = kind,
            OperationReference = RequiredString(root, "pspReference"),
            Reason = OptionalString(root, "reason"),
            DisputeOutcome = outcome,
        };
}
