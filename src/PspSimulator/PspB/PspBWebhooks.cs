using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B's event codes and notification bodies (docs/psp-webhooks.md, "PSP B").</summary>
internal static class PspBWebhooks
{
    public const string Authorisation = "AUTHORISATION";
    public const string Capture = "CAPTURE";
    public const string Cancellation = "CANCELLATION";
    public const string Refund = "REFUND";
    public const string Settlement = "SETTLEMENT";
    public const string Chargeback = "CHARGEBACK";
    public const string ChargebackReversed = "CHARGEBACK_REVERSED";
    public const string ChargebackFinal = "CHARGEBACK_FINAL";

    /// <summary>A new transaction: AUTHORISATION (success or not), or CAPTURE for an approved SALE (one outcome, one notification).</summary>
    public static WebhookNotification New(PspBTransactionResponse txn, DateTimeOffset at)
    {
        var approved = txn.ResponseCode == PspBResponseCodes.Approved;
        return approved && txn.State == PspBState.Settled
            ? Transaction(Capture, txn, txn.SettledCents, at)
            : Build(Authorisation, approved, txn.MerchantTxnId, txn.TxnId, txn.TxnId, txn.AmountCents, txn.Ccy, txn.ResponseCode, approved ? null : txn.ResponseText, null, at);
    }

    /// <summary>CAPTURE, CANCELLATION or SETTLEMENT of a transaction, about <paramref name="amountCents"/>.</summary>
    public static WebhookNotification Transaction(string eventCode, PspBTransactionResponse txn, long amountCents, DateTimeOffset at) =>
        Build(eventCode, true, txn.MerchantTxnId, txn.TxnId, txn.TxnId, amountCents, txn.Ccy, PspBResponseCodes.Approved, null, null, at);

    public static WebhookNotification Credit(PspBTransactionResponse txn, string creditReference, long amountCents, DateTimeOffset at) =>
        Build(Refund, true, txn.MerchantTxnId, txn.TxnId, creditReference, amountCents, txn.Ccy, PspBResponseCodes.Approved, null, null, at);

    public static WebhookNotification Dispute(string eventCode, Dispute dispute, DateTimeOffset at) =>
        Build(
            eventCode, true, dispute.Reference, dispute.ChargeId, dispute.Id, dispute.AmountMinor, dispute.Currency, PspBResponseCodes.Approved,
            dispute.Reason, WebhookSignatures.IsoSeconds(dispute.DueBy), at);

    private static WebhookNotification Build(
        string eventCode, bool success, string merchantTxnId, string txnId, string pspReference, long amountCents, string ccy,
        string responseCode, string? reason, string? defenseDeadline, DateTimeOffset at)
    {
        var id = "N" + Guid.CreateVersion7(at).ToString("N").ToUpperInvariant();
        var body = new PspBNotification(
            id, eventCode, success, WebhookSignatures.IsoSeconds(at), merchantTxnId, txnId, pspReference, amountCents, ccy, responseCode, reason, defenseDeadline);
        return new WebhookNotification(id, eventCode, merchantTxnId, WireJson.Write(body, PspBJsonContext.Default.PspBNotification), at);
    }
}
