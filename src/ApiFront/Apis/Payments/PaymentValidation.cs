using Payments.Actors.ApiFront.Apis.Wallets;
using Payments.Actors.ApiFront.Edge;

namespace Payments.Actors.ApiFront.Apis.Payments;

/// <summary>Pure validation of payment request bodies. Returns the first failure; nothing is sent to a grain until a request passes.</summary>
public static class PaymentValidation
{
    public const int ReferenceLengthMax = 128;
    public const int DescriptionLengthMax = 512;
    public const int ReasonLengthMax = 256;

    public static ValidationFailure? Validate(CreatePaymentRequest request, long amountMinorMax) =>
        ValidateFields(request, amountMinorMax) ?? MetadataRules.Validate(request.Metadata);

    private static ValidationFailure? ValidateFields(CreatePaymentRequest request, long amountMinorMax)
    {
        if (RequestValidation.ValidateMoney(request.AmountMinor, request.Currency, amountMinorMax, exampleCurrency: "USD") is { } moneyFailure)
        {
            return moneyFailure;
        }

        if (request.PaymentMethod is { } method)
        {
            return ValidateWalletMethod(request, method);
        }

        if (request.Card is not { } card)
        {
            return new("card", "card is required (or a payment_method).");
        }

        if (string.IsNullOrEmpty(card.Number))
        {
            return new("card.number", "card.number is required.");
        }

        if (card.Number.Length is < 12 or > 19 || !card.Number.All(char.IsAsciiDigit))
        {
            return new("card.number", "card.number must be 12 to 19 digits.");
        }

        if (!PassesLuhn(card.Number))
        {
            return new("card.number", "card.number fails the Luhn check.");
        }

        if (card.ExpMonth is not (>= 1 and <= 12))
        {
            return new("card.exp_month", "card.exp_month is required and must be 1 to 12.");
        }

        if (card.ExpYear is not (>= 2000 and <= 2100))
        {
            return new("card.exp_year", "card.exp_year is required and must be a four-digit year.");
        }

        if (card.Cvc is not null && (card.Cvc.Length is < 3 or > 4 || !card.Cvc.All(char.IsAsciiDigit)))
        {
            return new("card.cvc", "card.cvc must be 3 or 4 digits.");
        }

        if (request.Reference is { Length: > ReferenceLengthMax })
        {
            return new("reference", $"reference is at most {ReferenceLengthMax} characters.");
        }

        if (request.Description is { Length: > DescriptionLengthMax })
        {
            return new("description", $"description is at most {DescriptionLengthMax} characters.");
        }

        return null;
    }

    private static ValidationFailure? ValidateWalletMethod(CreatePaymentRequest request, PaymentMethodRequest method)
    {
        if (request.Card is not null)
        {
            return new("payment_method", "Send either card or payment_method, not both.");
        }

        if (method.Type != "wallet")
        {
            return new("payment_method.type", "payment_method.type must be \"wallet\".");
        }

        if (method.WalletId is not { } walletId || !WalletValidation.IsWalletId(walletId))
        {
            return new("payment_method.wallet_id", "payment_method.wallet_id is required: 1 to 64 letters, digits, '-' or '_'.");
        }

        if (request.Reference is { Length: > ReferenceLengthMax })
        {
            return new("reference", $"reference is at most {ReferenceLengthMax} characters.");
        }

        return request.Description is { Length: > DescriptionLengthMax }
            ? new("description", $"description is at most {DescriptionLengthMax} characters.")
            : null;
    }

    public static ValidationFailure? Validate(RefundRequest request, long amountMinorMax) =>
        RequestValidation.ValidateAmount(request.AmountMinor, required: false, amountMinorMax)
        ?? (request.Reason is { Length: > ReasonLengthMax } ? new ValidationFailure("reason", $"reason is at most {ReasonLengthMax} characters.") : null)
        ?? MetadataRules.Validate(request.Metadata);

    public static bool PassesLuhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
