using Payments.Actors.ApiFront.Edge;

namespace Payments.Actors.ApiFront.Apis.Wallets;

/// <summary>Pure validation of wallet ids and wallet request bodies. Returns the first failure; nothing is sent to a grain until a request passes.</summary>
public static class WalletValidation
{
    public const int WalletIdLengthMax = 64;
    public const int IbanLengthMax = 34;

    public const string WalletIdRule = "wallet_id must be 1 to 64 letters, digits, '-' or '_'.";

    /// <summary>The merchant's wallet id: 1-64 of [A-Za-z0-9_-], so it can never contain the '/' of the grain key.</summary>
    public static bool IsWalletId(string walletId) =>
        walletId.Length is >= 1 and <= WalletIdLengthMax && walletId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>IBAN shape: country, check digits, 11-30 upper-case alphanumerics. The Bank checks the rest.</summary>
    public static bool IsIban(string iban) =>
        iban.Length is >= 15 and <= IbanLengthMax && char.IsAsciiLetterUpper(iban[0]) && char.IsAsciiLetterUpper(iban[1])
        && char.IsAsciiDigit(iban[2]) && char.IsAsciiDigit(iban[3]) && iban.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));

    public static ValidationFailure? Validate(WalletTransferRequest request, long amountMinorMax) =>
        RequestValidation.ValidateMoney(request.AmountMinor, request.Currency, amountMinorMax, exampleCurrency: "EUR")
        ?? (request.Iban is { } iban && !IsIban(iban)
            ? new ValidationFailure("iban", "iban must be 15 to 34 upper-case letters and digits, starting with a country code and two check digits.")
            : null)
        ?? MetadataRules.Validate(request.Metadata);

    public static ValidationFailure? Validate(HoldRequest request, long amountMinorMax) =>
        RequestValidation.ValidateMoney(request.AmountMinor, request.Currency, amountMinorMax, exampleCurrency: "EUR")
        ?? (request.ExpiresInSeconds is null or < 1
            ? new ValidationFailure("expires_in_seconds", "expires_in_seconds is required: a positive number of seconds.")
            : null)
        ?? MetadataRules.Validate(request.Metadata);
}
