namespace Payments.Actors.Grains.Ledger;

/// <summary>The five account types of double-entry bookkeeping; the wire names are stored in accounts.type.</summary>
public enum LedgerAccountType
{
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

public static class LedgerAccountTypeExtensions
{
    public static string ToWire(this LedgerAccountType type) => type switch
    {
        LedgerAccountType.Asset => "asset",
        LedgerAccountType.Liability => "liability",
        LedgerAccountType.Equity => "equity",
        LedgerAccountType.Revenue => "revenue",
        LedgerAccountType.Expense => "expense",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown account type."),
    };

    /// <summary>Asset and expense accounts grow with debits; the others grow with credits.</summary>
    public static bool IsDebitNormal(string wireType) => wireType is "asset" or "expense";
}
