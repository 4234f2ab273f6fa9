namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's refund object.</summary>
internal sealed record PspARefundResponse(string Id, string PaymentId, long Amount, string Status);
