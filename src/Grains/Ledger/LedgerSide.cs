namespace Payments.Actors.Grains.Ledger;

public enum LedgerSide
{
    Debit,
    Credit,
}

public static class LedgerSideExtensions
{
    /// <summary>The one-letter code stored in ledger_entries.side.</summary>
    public static string ToCode(this LedgerSide side) => side == LedgerSide.Debit ? "D" : "C";

    /// <summary>The word shown to auditors for a stored side code.</summary>
    public static string WireFromCode(string code) => code == "D" ? "debit" : "credit";
}
