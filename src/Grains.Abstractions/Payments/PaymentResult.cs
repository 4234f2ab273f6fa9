namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.PaymentResult")]
public sealed record PaymentResult(
    [property: Id(0)] PaymentResultCode Code,
    [property: Id(1)] PaymentSnapshot? Payment,
    [property: Id(2)] string? Message,
    [property: Id(3)] bool Replayed)
{
    public static PaymentResult Rejected(PaymentResultCode code, string message, PaymentSnapshot? current = null) =>
        new(code, current, message, Replayed: false);
}
