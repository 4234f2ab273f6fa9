namespace Payments.Actors.Payments;

[GenerateSerializer, Immutable, Alias("pa.PaymentPage")]
public sealed record PaymentPage(
    [property: Id(0)] IReadOnlyList<PaymentSnapshot> Items,
    [property: Id(1)] bool HasMore);
