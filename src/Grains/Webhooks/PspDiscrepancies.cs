using NpgsqlTypes;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Payments;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>
/// <c>psp_discrepancies</c>: notifications that contradict a payment, or a wallet's cash-in or cash-out, one row per
/// notification (a redelivery writes nothing new). Each opens a T+0 reconciliation break in the same statement (kind
/// <c>status_mismatch</c>, dedupe key <c>t0:{provider}:{provider event id}</c>), so operators work it off with the
/// breaks of the settlement files; the alert on the processing metric pages meanwhile.
/// </summary>
public static class PspDiscrepancies
{
    public static SqlStatement Insert(PspNotification n, PaymentState state, string detail, DateTimeOffset now) =>
        Insert(n, state.Id, null, null, state.Status.ToWire(), detail, now);

    /// <summary>About a wallet's Bank transfer: <paramref name="operationState"/> is the operation's (PENDING, SUCCEEDED, ...).</summary>
    public static SqlStatement InsertForTransfer(PspNotification n, string walletId, Guid operationId, string operationState, string detail,
        DateTimeOffset now) =>
        Insert(n, null, walletId, operationId, operationState, detail, now);

    private static SqlStatement Insert(PspNotification n, Guid? paymentId, string? walletId, Guid? operationId, string subjectState, string detail,
        DateTimeOffset now) => new(
        """
        WITH discrepancy AS (
            INSERT INTO psp_discrepancies (id, provider, provider_event_id, notification_id, payment_id, wallet_id, operation_id, kind, payment_state,
                amount_minor, currency, detail, detected_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (provider, provider_event_id) DO NOTHING
            RETURNING id)
        INSERT INTO reconciliation_breaks (id, dedupe_key, kind, psp, payment_id, psp_reference, actual_minor, currency, detail, opened_at, updated_at)
        SELECT $14, 't0:' || $2 || ':' || $3, 'status_mismatch', $2, $5, $15, $10, $11, $16, $13, $13 FROM discrepancy
        ON CONFLICT (dedupe_key) DO NOTHING
        """,
        [
            UuidV7.New(now), n.Provider, n.ProviderEventId, n.NotificationId, new SqlValue(paymentId, NpgsqlDbType.Uuid), walletId,
            new SqlValue(operationId, NpgsqlDbType.Uuid), NotificationRules.Wire(n.Kind), subjectState,
            new SqlValue(n.AmountMinor, NpgsqlDbType.Bigint), new SqlValue(n.Currency, NpgsqlDbType.Char), detail, now,
            UuidV7.New(now), new SqlValue(n.PspReference ?? n.OperationReference ?? n.TransferRef, NpgsqlDbType.Text),
            $"T+0: {n.Provider} notification {n.ProviderEventId} ('{NotificationRules.Wire(n.Kind)}') contradicts " +
                (paymentId is { } payment ? $"payment {payment}" : $"wallet {walletId} operation {operationId}") + $" ({subjectState}): {detail}",
        ]);
}
