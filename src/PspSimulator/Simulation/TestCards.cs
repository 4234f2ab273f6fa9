namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>
/// The card numbers that drive simulated outcomes (see README). Any other Luhn-valid number is approved.
/// </summary>
internal static class TestCards
{
    public const string VisaApproved = "4242424242424242";
    public const string MastercardApproved = "5555555555554444";
    public const string DeclinedDoNotHonor = "4000000000000002";
    public const string DeclinedInsufficientFunds = "4000000000009995";
    public const string DeclinedExpiredCard = "4000000000000069";
    public const string ProcessingError = "4000000000000119";
    public const string SlowApproval = "4000000000000259";
    public const string IssuerUnavailable = "4000000000000093";

    /// <summary>An amount, in minor units, that any approving card declines with an amount limit.</summary>
    public const long AmountLimitTrigger = 99_999;

    private const int PanLengthMin = 12;
    private const int PanLengthMax = 19;
    private const int MaskedDigitsShown = 4;

    public static CardDecision Decide(string pan, long amountMinor, bool forceDecline)
    {
        if (!IsValidNumber(pan))
        {
            return new CardDecision(CardOutcome.InvalidCard, Slow: false);
        }

        var outcome = pan switch
        {
            ProcessingError => CardOutcome.ProcessingError,
            IssuerUnavailable => CardOutcome.IssuerUnavailable,
            _ when amountMinor == AmountLimitTrigger => CardOutcome.DeclinedAmountLimit,
            DeclinedDoNotHonor => CardOutcome.DeclinedDoNotHonor,
            DeclinedInsufficientFunds => CardOutcome.DeclinedInsufficientFunds,
            DeclinedExpiredCard => CardOutcome.DeclinedExpiredCard,
            _ when forceDecline => CardOutcome.DeclinedDoNotHonor,
            _ => CardOutcome.Approved,
        };
        return new CardDecision(outcome, Slow: pan == SlowApproval);
    }

    public static bool IsValidNumber(string pan)
    {
        if (!WireRules.IsDigits(pan, PanLengthMin, PanLengthMax))
        {
            return false;
        }

        var sum = 0;
        var doubled = false;
        for (var i = pan.Length - 1; i >= 0; i--)
        {
            var digit = pan[i] - '0';
            if (doubled)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    /// <summary>Shows only the last four digits, and nothing of a value too short to be a card number.</summary>
    public static string Mask(string? pan) =>
        pan is null ? "null"
        : pan.Length < PanLengthMin ? "****"
        : string.Concat("****", pan.AsSpan(pan.Length - MaskedDigitsShown));
}
