namespace Payments.Actors.PspSimulator.PspB;

/// <summary>
/// A PSP B notification (camelCase). <c>pspReference</c> names what the notification is about: the transaction
/// (<c>txnId</c>) for AUTHORISATION, CAPTURE, CANCELLATION and SETTLEMENT, the credit (<c>&lt;txnId&gt;:R&lt;n&gt;</c>)
/// for REFUND, the dispute (<c>&lt;txnId&gt;:D1</c>) for CHARGEBACK*. Dates are UTC to the second.
/// </summary>
internal sealed record PspBNotification(
    string NotificationId,
    string EventCode,
    bool Success,
    string EventDate,
    string MerchantTxnId,
    string TxnId,
    string PspReference,
    long AmountCents,
    string Ccy,
    string ResponseCode,
    string? Reason,
    string? DefenseDeadline);
