namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A's error envelope: <c>{ "error": { "type", "code", "message" } }</c>.</summary>
internal sealed record PspAErrorResponse(PspAError Error);
