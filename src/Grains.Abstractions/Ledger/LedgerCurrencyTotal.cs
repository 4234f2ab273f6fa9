namespace Payments.Actors.Ledger;

/// <summary>One currency's totals over the whole journal; balanced when debits equal credits.</summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerCurrencyTotal")]
public sealed record LedgerCurrencyTotal(
    [property: Id(0)] string Currency,
    [property: Id(1)] long Transactions,
    [property: Id(2)] long Entries,
    [property: Id(3)] long DebitsMinor,
    [property: Id(4)] long CreditsMinor,
    [property: Id(5)] bool Balanced);
