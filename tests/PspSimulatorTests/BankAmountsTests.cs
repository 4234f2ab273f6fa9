using Payments.Actors.PspSimulator.Bank;

namespace Payments.Actors.PspSimulatorTests;

public sealed class BankAmountsTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("EUR", 2)]
    [InlineData("USD", 2)]
    [InlineData("KWD", 3)]
    public void ExponentFollowsIso4217(string currency, int exponent)
    {
        Assert.Equal(exponent, BankAmounts.Exponent(currency));
    }

    [Theory]
    [InlineData(1234, 2, "12.34")]
    [InlineData(5, 2, "0.05")]
    [InlineData(1000, 0, "1000")]
    [InlineData(1500, 3, "1.500")]
    public void MinorUnitsAreWrittenWithExactlyTheCurrencyDecimals(long amountMinor, int exponent, string text)
    {
        Assert.Equal(text, BankAmounts.ToMajor(amountMinor, exponent));
        Assert.True(BankAmounts.TryToMinor(text, exponent, out var parsed));
        Assert.Equal(amountMinor, parsed);
    }

    [Fact]
    public void DecimalFractionsSurviveTheRoundTripExactly()
    {
        // 0.1 + 0.2 is not 0.3 in binary floating point; in decimal minor units it must be.
        Assert.True(BankAmounts.TryToMinor("0.10", 2, out var dime));
        Assert.True(BankAmounts.TryToMinor("0.20", 2, out var twoDimes));
        Assert.True(BankAmounts.TryToMinor("0.30", 2, out var sum));
        Assert.Equal(sum, dime + twoDimes);
    }
}
