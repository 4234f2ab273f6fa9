namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B's answer when there is no transaction to describe: <c>{ "responseCode", "responseText" }</c>.</summary>
internal sealed record PspBErrorResponse(string ResponseCode, string ResponseText);
