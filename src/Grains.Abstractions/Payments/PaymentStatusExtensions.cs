namespace Payments.Actors.Payments;

public static class PaymentStatusExtensions
{
    /// <summary>Terminal states never change again.</summary>
    public static bool IsTerminal(this PaymentStatus status) =>
        status is PaymentStatus.Declined or PaymentStatus.Failed or PaymentStatus.Refunded or PaymentStatus.Reversed;

    /// <summary>The wire name, as the API and the database spell it.</summary>
    public static string ToWire(this PaymentStatus status) => status switch
    {
        PaymentStatus.Initiated => "INITIATED",
        PaymentStatus.Authorized => "AUTHORIZED",
        PaymentStatus.Captured => "CAPTURED",
        PaymentStatus.Declined => "DECLINED",
        PaymentStatus.Failed => "FAILED",
        PaymentStatus.Refunded => "REFUNDED",
        PaymentStatus.Reversed => "REVERSED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static PaymentStatus FromWire(string value) => value switch
    {
        "INITIATED" => PaymentStatus.Initiated,
        "AUTHORIZED" => PaymentStatus.Authorized,
        "CAPTURED" => PaymentStatus.Captured,
        "DECLINED" => PaymentStatus.Declined,
        "FAILED" => PaymentStatus.Failed,
        "REFUNDED" => PaymentStatus.Refunded,
        "REVERSED" => PaymentStatus.Reversed,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown payment state."),
    };
}
