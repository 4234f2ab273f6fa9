namespace Payments.Actors.PspSimulator.Admin;

/// <summary>An admin API error: <c>{ "error", "message" }</c>.</summary>
internal sealed record AdminError(string Error, string Message);
