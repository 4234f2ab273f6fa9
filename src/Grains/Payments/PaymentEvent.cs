namespace Payments.Actors.Grains.Payments;

/// <summary>A fact the saga produced; written to the outbox in the transaction that makes it true.</summary>
public sealed record PaymentEvent(string Type, long AmountMinor, Guid? RefundId = null, Guid? DisputeId = null);
