namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank's error: <c>{ "error_code", "error_description" }</c>, codes in the ISO 20022 style where one fits.</summary>
internal sealed record BankErrorResponse(string ErrorCode, string ErrorDescription);
