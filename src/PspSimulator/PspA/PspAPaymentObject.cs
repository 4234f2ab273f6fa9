namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The payment in a PSP A notification: the payment object with <c>"object": "payment"</c>; never card data.</summary>
internal sealed record PspAPaymentObject(
    string Object,
    string Id,
    string Reference,
    string Status,
    long Amount,
    string Currency,
    long CapturedAmount,
    long RefundedAmount,
    string? DeclineReason);
