namespace Payments.Actors.PspSimulator.PspA;

/// <summary><c>POST /psp-a/v1/payments</c>. Members are nullable so missing fields are reported, not defaulted.</summary>
internal sealed record PspACreatePaymentRequest(string? Reference, long? Amount, string? Currency, bool? Capture, PspACardRequest? Card);
