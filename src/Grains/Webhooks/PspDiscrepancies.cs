using NpgsqlTypes;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// <c>psp_discrepancies</c>: notifications that contradict a payment, one row per notification (a redelivery writes
/// nothing new). Reconciliation works them off; the alert on the processing metric pages meanwhile.
/// </summary>
public static class PspDiscrepancies
{
    public static SqlStatement Insert(PspNotification n, PaymentState state, string detail, DateTimeOffset now) => new(
        """
        INSERT INTO psp_discrepancies (id, provider, provider_event_id, notification_id, payment_id, kind, payment_state, amount_minor, currency, detail, detected_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (provider, provider_event_id) DO NOTHING
        """,
        [
            UuidV7.New(now), n.Provider, n.ProviderEventId, n.NotificationId, state.Id, NotificationRules.Wire(n.Kind), state.Status.ToWire(),
            new SqlValue(n.AmountMinor, NpgsqlDbType.Bigint), n.Currency, detail, now,
        ]);
}
