namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's error: <c>type</c> is <c>invalid_request</c> for the caller's mistakes and <c>api_error</c> for the provider's.</summary>
internal sealed record PspAError(string Type, string Code, string Message);
