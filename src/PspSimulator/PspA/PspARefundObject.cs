namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The refund in a <c>refund.succeeded</c> notification; <c>reference</c> is ours, <c>payment_id</c> PSP A's.</summary>
internal sealed record PspARefundObject(string Object, string Id, string PaymentId, string Reference, long Amount, string Currency);
