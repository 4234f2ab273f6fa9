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

    /// <summary>A chargeback opened: the disputed amount is withdrawn from what the merchant is owed.</summary>
    public const string DisputeCreated = "dispute.created";

    /// <summary>The merchant won the dispute: the disputed amount is reinstated.</summary>
    public const string DisputeWon = "dispute.won";

    /// <summary>The merchant lost the dispute: the funds stay withdrawn; no money moves.</summary>
    public const string DisputeLost = "dispute.lost";

    /// <summary>Every payment event type, in lifecycle order, disputes last.</summary>
    public static IReadOnlyList<string> All { get; } = [Initiated, Authorized, Captured, Declined, Failed, Voided, Refunded, DisputeCreated, DisputeWon, DisputeLost];
}
