using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;

namespace Payments.Actors.UnitTests.Payments;

public sealed class CardDetailsTests
{
    private const string Pan = "5555555555554444";
    private const string Cvc = "739";

    private static readonly CardDetails Card = new(Pan, 7, 2031, Cvc);

    [Fact]
    public void ToStringShowsOnlyBrandLastFourAndExpiry()
    {
        Assert.Equal("CardDetails { Brand = mastercard, Last4 = 4444, Exp = 07/2031 }", Card.ToString());
    }

    [Fact]
    public void ToStringNeverContainsTheNumberOrTheCvc()
    {
        var printed = Card.ToString();

        Assert.DoesNotContain(Pan, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Pan[..6], printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Cvc, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandsCarryingTheCardNeverPrintTheNumberOrTheCvc()
    {
        var create = new CreatePayment("mer_1", "key", "fp", 1_000, "EUR", true, Card, "order-1", "socks");
        var request = new PspRequest("req", PspOperation.Authorize, Guid.Parse("01958f4c-1a2b-7c3d-8e4f-5a6b7c8d9e0f"), 1_000, "EUR", true, Card, null);

        foreach (var printed in new[] { create.ToString(), request.ToString(), $"{create}", $"{request}" })
        {
            Assert.DoesNotContain(Pan, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Pan[..6], printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Cvc, printed, StringComparison.Ordinal);
            Assert.Contains("4444", printed, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("4242424242424242", "visa", "4242")]
    [InlineData("4000000000000002", "visa", "0002")]
    [InlineData("5555555555554444", "mastercard", "4444")]
    [InlineData("5105105105105100", "mastercard", "5100")]
    [InlineData("2223003122003222", "mastercard", "3222")]
    [InlineData("2720990000000007", "mastercard", "0007")]
    [InlineData("2000000000000003", "unknown", "0003")]
    [InlineData("2721000000000006", "unknown", "0006")]
    [InlineData("378282246310005", "amex", "0005")]
    [InlineData("371449635398431", "amex", "8431")]
    [InlineData("6011111111111117", "discover", "1117")]
    [InlineData("5066991111111118", "unknown", "1118")]
    [InlineData("3056930009020004", "unknown", "0004")]
    public void BrandAndLastFourComeFromTheNumber(string number, string brand, string last4)
    {
        var card = new CardDetails(number, 1, 2030, null);

        Assert.Equal(brand, card.Brand);
        Assert.Equal(last4, card.Last4);
    }
}
