using Payments.Actors.Money;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>A request field that failed validation, with a message a merchant can act on.</summary>
public sealed record ValidationFailure(string Field, string Message);

/// <summary>
/// The checks every resource makes of money in a request body. Each returns the first failure; nothing is
/// sent to a grain until a request passes. A resource's own rules live beside its endpoints.
/// </summary>
public static class RequestValidation
{
    public static ValidationFailure? ValidateAmount(long? amountMinor, bool required, long amountMinorMax)
    {
        if (amountMinor is null)
        {
            return required ? new("amount_minor", "amount_minor is required: a positive integer in minor units (cents).") : null;
        }

        if (amountMinor <= 0)
        {
            return new("amount_minor", "amount_minor must be a positive integer in minor units.");
        }

        return amountMinor > amountMinorMax
            ? new("amount_minor", $"amount_minor must not exceed {amountMinorMax}.")
            : null;
    }

    /// <summary>A required amount and an active ISO 4217 currency; <paramref name="exampleCurrency"/> is the code the message suggests.</summary>
    public static ValidationFailure? ValidateMoney(long? amountMinor, string? currency, long amountMinorMax, string exampleCurrency)
    {
        if (ValidateAmount(amountMinor, required: true, amountMinorMax) is { } failure)
        {
            return failure;
        }

        if (string.IsNullOrEmpty(currency))
        {
            return new("currency", $"currency is required: an ISO 4217 code such as \"{exampleCurrency}\".");
        }

        return Currencies.IsKnown(currency)
            ? null
            : new("currency", $"'{currency}' is not an active ISO 4217 currency code (three upper-case letters, e.g. \"EUR\").");
    }
}
