namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's payment object.</summary>
internal sealed record PspAPaymentResponse(
    string Id,
    string Reference,
    string Status,
    long Amount,
    string Currency,
    long CapturedAmount,
    long RefundedAmount,
    string? DeclineReason);
