namespace Payments.Actors.PspSimulator.PspB;

/// <summary>The ISO 8583-style response codes PSP B uses, and their texts.</summary>
internal static class PspBResponseCodes
{
    public const string Approved = "00";
    public const string DoNotHonour = "05";
    public const string InvalidTransaction = "12";
    public const string InvalidAmount = "13";
    public const string InvalidCardNumber = "14";
    public const string RecordNotFound = "25";
    public const string FormatError = "30";
    public const string InsufficientFunds = "51";
    public const string ExpiredCard = "54";
    public const string ExceedsAmountLimit = "61";

    /// <summary>Declined but retryable: the issuer was unreachable and nothing was charged.</summary>
    public const string IssuerUnavailable = "91";
    public const string SystemMalfunction = "96";

    public static string Text(string code) => code switch
    {
        Approved => "approved",
        DoNotHonour => "do not honour",
        InvalidTransaction => "invalid transaction",
        InvalidAmount => "invalid amount",
        InvalidCardNumber => "invalid card number",
        RecordNotFound => "unable to locate record",
        FormatError => "format error",
        InsufficientFunds => "insufficient funds",
        ExpiredCard => "expired card",
        ExceedsAmountLimit => "exceeds amount limit",
        IssuerUnavailable => "issuer unavailable",
        SystemMalfunction => "system malfunction",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not a PSP B response code."),
    };
}
