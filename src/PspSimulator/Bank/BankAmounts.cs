using System.Globalization;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>
/// Converts the Bank's decimal major-unit strings to and from integer minor units, using the ISO 4217
/// exponent of the currency. Always decimal, never double: binary floating point cannot hold 0.1.
/// </summary>
internal static class BankAmounts
{
    private const int AmountTextLengthMax = 32;

    private static readonly HashSet<string> ZeroDecimalCurrencies = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimalCurrencies = new(StringComparer.Ordinal)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    /// <summary>The ISO 4217 minor-unit exponent: JPY 0, EUR 2, KWD 3; currencies not listed have 2.</summary>
    public static int Exponent(string currency) =>
        ZeroDecimalCurrencies.Contains(currency) ? 0
        : ThreeDecimalCurrencies.Contains(currency) ? 3
        : 2;

    /// <summary>
    /// Parses a plain positive decimal (no sign, exponent or grouping) with no more precision than the
    /// currency has: "12.34" EUR is 1234, "1000" JPY is 1000, "1000.5" JPY is refused.
    /// </summary>
    public static bool TryToMinor(string text, int exponent, out long amountMinor)
    {
        amountMinor = 0;
        if (text.Length is 0 or > AmountTextLengthMax
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
        {
            return false;
        }

        var minor = major * Scale(exponent);
        if (minor != decimal.Truncate(minor) || minor <= 0 || minor > WireRules.AmountMinorMax)
        {
            return false;
        }

        amountMinor = (long)minor;
        return true;
    }

    /// <summary>Writes minor units as the Bank does: "12.30" EUR, "1000" JPY, "1.500" KWD.</summary>
    public static string ToMajor(long amountMinor, int exponent) =>
        (amountMinor / Scale(exponent)).ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static decimal Scale(int exponent) => exponent switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1000m,
        _ => throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "Only ISO 4217 exponents 0, 2 and 3 are simulated."),
    };
}
