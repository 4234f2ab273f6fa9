namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank's states, directions and ISO 20022-style reason and error codes, as they appear on the wire.</summary>
internal static class BankCodes
{
    public const string Booked = "BOOKED";
    public const string Rejected = "REJECTED";
    public const string Pending = "PENDING";

    public const string Credit = "CREDIT";
    public const string Debit = "DEBIT";

    /// <summary>Account closed.</summary>
    public const string ClosedAccount = "AC04";

    /// <summary>Insufficient funds.</summary>
    public const string InsufficientFunds = "AM04";

    /// <summary>Transaction not allowed (also the Bank's answer to the amount-limit trigger and injected declines).</summary>
    public const string NotAllowed = "AG01";

    public const string InvalidAccount = "AC01";
    public const string InvalidAmount = "AM12";
    public const string FormatError = "FF01";
    public const string NotFound = "NOT_FOUND";
    public const string SystemError = "SYSTEM_ERROR";
}
