namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Field rules every provider applies to requests, with their limits.</summary>
internal static class WireRules
{
    public const int ReferenceLengthMax = 128;

    /// <summary>One billion major units of a two-decimal currency: far above any test, far below overflow.</summary>
    public const long AmountMinorMax = 100_000_000_000;

    public static bool IsReference(string? reference) =>
        !string.IsNullOrWhiteSpace(reference) && reference.Length <= ReferenceLengthMax;

    public static bool IsAmount(long? amountMinor) => amountMinor is > 0 and <= AmountMinorMax;

    public static bool IsCurrency(string? currency) =>
        currency is { Length: 3 } && char.IsAsciiLetterUpper(currency[0]) && char.IsAsciiLetterUpper(currency[1]) && char.IsAsciiLetterUpper(currency[2]);

    public static bool IsDigits(string? text, int lengthMin, int lengthMax) =>
        text is not null && text.Length >= lengthMin && text.Length <= lengthMax && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
