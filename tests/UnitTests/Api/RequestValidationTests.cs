using Payments.Actors.ApiFront.Apis.Payments;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

public sealed class RequestValidationTests
{
    private const long AmountMax = 1_000_000;

    private static readonly CardRequest ValidCard = new("4242424242424242", 12, 2030, "123");

    private static readonly CreatePaymentRequest Valid = new(1_000, "EUR", true, ValidCard, "order-1", "two books");

    private static void AssertFailsOn(string field, CreatePaymentRequest request)
    {
        var failure = PaymentValidation.Validate(request, AmountMax);

        Assert.NotNull(failure);
        Assert.Equal(field, failure.Field);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Fact]
    public void ValidRequestPasses() => Assert.Null(PaymentValidation.Validate(Valid, AmountMax));

    [Fact]
    public void ValidRequestWithOnlyRequiredFieldsPasses() =>
        Assert.Null(PaymentValidation.Validate(new CreatePaymentRequest(1, "JPY", null, ValidCard with { Cvc = null }, null, null), AmountMax));

    [Fact]
    public void AmountAtTheMaximumPasses() => Assert.Null(PaymentValidation.Validate(Valid with { AmountMinor = AmountMax }, AmountMax));

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(AmountMax + 1)]
    [InlineData(long.MaxValue)]
    public void MissingNonPositiveOrTooLargeAmountFailsOnAmount(long? amount) =>
        AssertFailsOn("amount_minor", Valid with { AmountMinor = amount });

    [Fact]
    public void AmountFailureIsReportedBeforeAnyOtherField() =>
        AssertFailsOn("amount_minor", new CreatePaymentRequest(null, null, null, null, null, null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("eur")]
    [InlineData("XXX")]
    [InlineData("EURO")]
    [InlineData("E")]
    public void MissingUnknownOrLowerCaseCurrencyFailsOnCurrency(string? currency) =>
        AssertFailsOn("currency", Valid with { Currency = currency });

    [Fact]
    public void MissingCardFailsOnCard() => AssertFailsOn("card", Valid with { Card = null });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4242 4242 4242 4242")]
    [InlineData("4242-4242-4242-4242")]
    [InlineData("424242424242424a")]
    [InlineData("٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢")]
    [InlineData("42424242424")]
    [InlineData("42424242424242424242")]
    [InlineData("4242424242424241")]
    [InlineData("4000000000000001")]
    public void MalformedShortLongOrLuhnFailingNumberFailsOnCardNumber(string? number) =>
        AssertFailsOn("card.number", Valid with { Card = ValidCard with { Number = number } });

    [Theory]
    [InlineData("424242424242")]
    [InlineData("4242424242424242")]
    [InlineData("4242424242424242428")]
    public void NumberOfTwelveToNineteenDigitsPassingLuhnIsAccepted(string number)
    {
        Assert.True(PaymentValidation.PassesLuhn(number), $"{number} should pass Luhn for this test to mean anything.");
        Assert.Null(PaymentValidation.Validate(Valid with { Card = ValidCard with { Number = number } }, AmountMax));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(-1)]
    public void ExpiryMonthOutsideOneToTwelveFailsOnExpMonth(int? month) =>
        AssertFailsOn("card.exp_month", Valid with { Card = ValidCard with { ExpMonth = month } });

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void ExpiryMonthAtTheEdgesPasses(int month) =>
        Assert.Null(PaymentValidation.Validate(Valid with { Card = ValidCard with { ExpMonth = month } }, AmountMax));

    [Theory]
    [InlineData(null)]
    [InlineData(30)]
    [InlineData(1999)]
    [InlineData(2101)]
    public void MissingOrNonFourDigitExpiryYearFailsOnExpYear(int? year) =>
        AssertFailsOn("card.exp_year", Valid with { Card = ValidCard with { ExpYear = year } });

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("12345")]
    [InlineData("12a")]
    [InlineData("１２３")]
    public void CvcThatIsNotThreeOrFourDigitsFailsOnCvc(string cvc) =>
        AssertFailsOn("card.cvc", Valid with { Card = ValidCard with { Cvc = cvc } });

    [Theory]
    [InlineData("123")]
    [InlineData("1234")]
    [InlineData(null)]
    public void ThreeOrFourDigitOrAbsentCvcPasses(string? cvc) =>
        Assert.Null(PaymentValidation.Validate(Valid with { Card = ValidCard with { Cvc = cvc } }, AmountMax));

    [Fact]
    public void ReferenceLongerThanItsMaximumFailsOnReference()
    {
        AssertFailsOn("reference", Valid with { Reference = new string('r', PaymentValidation.ReferenceLengthMax + 1) });
        Assert.Null(PaymentValidation.Validate(Valid with { Reference = new string('r', PaymentValidation.ReferenceLengthMax) }, AmountMax));
    }

    [Fact]
    public void DescriptionLongerThanItsMaximumFailsOnDescription()
    {
        AssertFailsOn("description", Valid with { Description = new string('d', PaymentValidation.DescriptionLengthMax + 1) });
        Assert.Null(PaymentValidation.Validate(Valid with { Description = new string('d', PaymentValidation.DescriptionLengthMax) }, AmountMax));
    }

    [Fact]
    public void FailureMessageNeverEchoesTheCardNumber()
    {
        const string number = "4242424242424241";

        var failure = PaymentValidation.Validate(Valid with { Card = ValidCard with { Number = number } }, AmountMax);

        Assert.NotNull(failure);
        Assert.DoesNotContain(number, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CardRequestNeverPrintsItsNumberOrCvc()
    {
        var printed = Valid.ToString();

        Assert.DoesNotContain("4242424242424242", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("424242", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("123", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(1L, null)]
    [InlineData(AmountMax, "")]
    public void RefundWithinLimitsPasses(long? amount, string? reason) =>
        Assert.Null(PaymentValidation.Validate(new RefundRequest(amount, reason), AmountMax));

    [Fact]
    public void RefundReasonAtItsMaximumPasses() =>
        Assert.Null(PaymentValidation.Validate(new RefundRequest(100, new string('x', PaymentValidation.ReasonLengthMax)), AmountMax));

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData(AmountMax + 1)]
    public void RefundWithANonPositiveOrTooLargeAmountFailsOnAmount(long amount)
    {
        var failure = PaymentValidation.Validate(new RefundRequest(amount, null), AmountMax);

        Assert.Equal("amount_minor", failure?.Field);
    }

    [Fact]
    public void RefundReasonLongerThanItsMaximumFailsOnReason()
    {
        var failure = PaymentValidation.Validate(new RefundRequest(100, new string('x', PaymentValidation.ReasonLengthMax + 1)), AmountMax);

        Assert.Equal("reason", failure?.Field);
    }

    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("4000000000000002")]
    [InlineData("4000000000009995")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    public void DocumentedTestCardsPassLuhn(string number) => Assert.True(PaymentValidation.PassesLuhn(number));

    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("4000000000009995")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    public void AnySingleDigitChangeToAValidNumberFailsLuhn(string number)
    {
        // Luhn detects every single-digit error; this is the property that makes it worth checking at the edge.
        for (var position = 0; position < number.Length; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == number[position])
                {
                    continue;
                }

                var mistyped = number[..position] + digit + number[(position + 1)..];
                Assert.False(PaymentValidation.PassesLuhn(mistyped), $"{mistyped} should fail Luhn.");
            }
        }
    }

    [Theory]
    [InlineData("4242424242424224")]
    [InlineData("5555555555545444")]
    public void AdjacentTranspositionFailsLuhn(string number) => Assert.False(PaymentValidation.PassesLuhn(number));
}
