using Payments.Actors.Money;
using Xunit;

namespace Payments.Actors.UnitTests.Money;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("USD")]
    [InlineData("EUR")]
    [InlineData("JPY")]
    [InlineData("KWD")]
    [InlineData("BHD")]
    [InlineData("CLP")]
    public void ActiveIsoCodeIsKnown(string code) => Assert.True(Currencies.IsKnown(code));

    [Theory]
    [InlineData("usd")]
    [InlineData("Usd")]
    [InlineData("XXX")]
    [InlineData("XTS")]
    [InlineData("US")]
    [InlineData("USDD")]
    [InlineData(" USD")]
    [InlineData("")]
    [InlineData(null)]
    public void LowerCaseTestOrMalformedCodeIsUnknown(string? code) => Assert.False(Currencies.IsKnown(code));

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("CLP", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("TND", 3)]
    public void ExponentIsTheIsoMinorUnit(string code, int exponent) => Assert.Equal(exponent, Currencies.ExponentOf(code));

    [Theory]
    [InlineData("usd")]
    [InlineData("XXX")]
    [InlineData("")]
    public void ExponentOfAnUnknownCodeThrows(string code)
    {
        Assert.Throws<ArgumentException>(() => Currencies.ExponentOf(code));
        Assert.Throws<ArgumentException>(() => Currencies.ToMajorUnits(100, code));
        Assert.Throws<ArgumentException>(() => Currencies.ToMinorUnits(1m, code));
    }

    [Theory]
    [InlineData(1234, "EUR", "12.34")]
    [InlineData(1234, "JPY", "1234")]
    [InlineData(1234, "KWD", "1.234")]
    [InlineData(1, "EUR", "0.01")]
    [InlineData(1, "KWD", "0.001")]
    [InlineData(0, "EUR", "0")]
    [InlineData(-1234, "EUR", "-12.34")]
    public void ToMajorUnitsDividesByTheExponentExactly(long minor, string code, string major)
    {
        var expected = decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, Currencies.ToMajorUnits(minor, code));
    }

    [Fact]
    public void DocumentedExamplesConvertExactly()
    {
        Assert.Equal(12.34m, Currencies.ToMajorUnits(1234, "EUR"));
        Assert.Equal(1234m, Currencies.ToMajorUnits(1234, "JPY"));
        Assert.Equal(1.234m, Currencies.ToMajorUnits(1234, "KWD"));
        Assert.Equal(1234, Currencies.ToMinorUnits(12.34m, "EUR"));
        Assert.Equal(1234, Currencies.ToMinorUnits(1234m, "JPY"));
        Assert.Equal(1234, Currencies.ToMinorUnits(1.234m, "KWD"));
    }

    [Theory]
    [InlineData("12.345", "EUR")]
    [InlineData("0.001", "USD")]
    [InlineData("1.5", "JPY")]
    [InlineData("1.2345", "KWD")]
    [InlineData("-12.345", "EUR")]
    public void ToMinorUnitsRefusesMoreDecimalPlacesThanTheCurrencyHas(string major, string code)
    {
        var amount = decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Throws<ArgumentException>(() => Currencies.ToMinorUnits(amount, code));
    }

    [Fact]
    public void TrailingZerosBeyondTheExponentAreNotExtraPrecision()
    {
        Assert.Equal(1234, Currencies.ToMinorUnits(12.3400m, "EUR"));
        Assert.Equal(1234, Currencies.ToMinorUnits(1234.000m, "JPY"));
    }

    [Theory]
    [InlineData("EUR")]
    [InlineData("JPY")]
    [InlineData("KWD")]
    public void ExtremeLongsConvertExactlyBothWays(string code)
    {
        foreach (var minor in new[] { long.MaxValue, long.MinValue, long.MaxValue - 1, 1L, -1L })
        {
            var major = Currencies.ToMajorUnits(minor, code);

            Assert.Equal(minor, Currencies.ToMinorUnits(major, code));
        }
    }

    [Fact]
    public void LongMaxValueInEurosIsExact()
    {
        Assert.Equal(92_233_720_368_547_758.07m, Currencies.ToMajorUnits(long.MaxValue, "EUR"));
        Assert.Equal(9_223_372_036_854_775.807m, Currencies.ToMajorUnits(long.MaxValue, "KWD"));
    }

    [Fact]
    public void RandomAmountsRoundTripInEveryExponent()
    {
        var random = new Random(4217);
        foreach (var code in new[] { "EUR", "JPY", "KWD" })
        {
            for (var i = 0; i < 1_000; i++)
            {
                var minor = random.NextInt64(long.MinValue, long.MaxValue);

                Assert.Equal(minor, Currencies.ToMinorUnits(Currencies.ToMajorUnits(minor, code), code));
            }
        }
    }

    [Fact]
    public void MajorAmountBeyondTheLongRangeIsRefused()
    {
        Assert.ThrowsAny<ArithmeticException>(() => Currencies.ToMinorUnits(92_233_720_368_547_758.08m, "EUR"));
    }
}
