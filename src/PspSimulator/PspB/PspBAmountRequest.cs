namespace Payments.Actors.PspSimulator.PspB;

/// <summary>The body of a settle or credit; without an amount the whole remaining amount is used.</summary>
internal sealed record PspBAmountRequest(long? AmountCents);
