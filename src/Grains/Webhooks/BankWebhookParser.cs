using Payments.Actors.Webhooks;
using static Payments.Actors.Grains.Webhooks.WebhookJson;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>The Bank's transfer notification (snake_case, amounts as decimal strings in major units) as a <see cref="PspNotification"/>.</summary>
public static class BankWebhookParser
{
    public static PspNotification Parse(byte[] body, Guid notificationId)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        var eventId = RequiredString(root, "notification_id");
        var kind = RequiredString(root, "event") switch
        {
            "transfer.booked" => PspNotificationKind.TransferBooked,
            "transfer.rejected" => PspNotificationKind.TransferRejected,
            var other => throw Unknown("event", other),
        };
        var occurredAt = RequiredTime(root, "occurred_at");
        var transfer = RequiredObject(root, "transfer");
        var value = RequiredObject(transfer, "value");
        var currency = RequiredCurrency(value, "currency");
        var amountMinor = MajorUnitsToMinor(RequiredString(value, "amount"), currency, "transfer.value.amount");
        return new PspNotification(notificationId, WebhookProviders.Bank, eventId, kind, null, RequiredString(transfer, "transfer_ref"),
            RequiredString(transfer, "bank_transfer_id"), null, amountMinor, currency,
            kind == PspNotificationKind.TransferRejected ? OptionalString(transfer, "reason_code") : null, null, null, occurredAt);
    }
}
