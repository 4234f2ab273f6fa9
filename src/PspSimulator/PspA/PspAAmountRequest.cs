namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The body of a capture or refund; without an amount the whole remaining amount is used.</summary>
internal sealed record PspAAmountRequest(long? Amount);
