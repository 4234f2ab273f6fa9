using System.Text.RegularExpressions;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The IBAN endings that drive simulated Bank outcomes (see README). Any other well-formed IBAN is booked.</summary>
internal static partial class BankTestAccounts
{
    public const string ClosedSuffix = "0000";
    public const string InsufficientFundsSuffix = "9995";
    public const string ProcessingErrorSuffix = "0119";
    public const string SlowSuffix = "0259";
    public const string PendingSuffix = "1111";
    private const int MaskedCharactersShown = 4;

    public static bool IsWellFormed(string iban) => IbanShape().IsMatch(iban);

    public static BankDecision Decide(string iban, string direction, long amountMinor, bool forceDecline)
    {
        var slow = iban.EndsWith(SlowSuffix, StringComparison.Ordinal);
        if (iban.EndsWith(ProcessingErrorSuffix, StringComparison.Ordinal))
        {
            return new BankDecision(BankOutcome.ProcessingError, null, Slow: false);
        }

        var reason = amountMinor == TestCards.AmountLimitTrigger ? BankCodes.NotAllowed
            : iban.EndsWith(ClosedSuffix, StringComparison.Ordinal) ? BankCodes.ClosedAccount
            : direction == BankCodes.Debit && iban.EndsWith(InsufficientFundsSuffix, StringComparison.Ordinal) ? BankCodes.InsufficientFunds
            : forceDecline ? BankCodes.NotAllowed
            : null;
        if (reason is not null)
        {
            return new BankDecision(BankOutcome.Rejected, reason, slow);
        }

        return iban.EndsWith(PendingSuffix, StringComparison.Ordinal)
            ? new BankDecision(BankOutcome.Pending, null, slow)
            : new BankDecision(BankOutcome.Booked, null, slow);
    }

    /// <summary>Shows the country and the last four characters only.</summary>
    public static string Mask(string? iban) =>
        iban is null ? "null"
        : iban.Length < 8 ? "****"
        : string.Concat(iban.AsSpan(0, 2), "****", iban.AsSpan(iban.Length - MaskedCharactersShown));

    // Loose on purpose: two letters, two check digits, 10-30 alphanumerics; no checksum.
    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex IbanShape();
}
