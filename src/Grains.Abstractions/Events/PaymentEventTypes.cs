namespace Payments.Actors.Events;

/// <summary>The event types of <see cref="EventTopics.PaymentsEvents"/>; their payload is <see cref="PaymentEventV1"/>.</summary>
public static class PaymentEventTypes
{
    public const string Initiated = "payment.initiated";
    public const string Authorized = "payment.authorized";
    public const string Captured = "payment.captured";
    public const string Declined = "payment.declined";
    public const string Failed = "payment.failed";
    public const string Voided = "payment.voided";
    public const string Refunded = "payment.refunded";

    /// <summary>Every payment event type, in lifecycle order.</summary>
    public static IReadOnlyList<string> All { get; } = [Initiated, Authorized, Captured, Declined, Failed, Voided, Refunded];
}
