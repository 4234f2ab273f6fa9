namespace Payments.Actors.Grains.Payments;

/// <summary>A fact the saga produced; written to the outbox in the transaction that makes it true.</summary>
public sealed record PaymentEvent(string Type, long AmountMinor, Guid? RefundId = null);

public static class PaymentEventTypes
{
    public const string Initiated = "payment.initiated";
    public const string Authorized = "payment.authorized";
    public const string Captured = "payment.captured";
    public const string Declined = "payment.declined";
    public const string Failed = "payment.failed";
    public const string Voided = "payment.voided";
    public const string Refunded = "payment.refunded";
}
