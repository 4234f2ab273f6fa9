namespace Payments.Actors.Ledger;

[GenerateSerializer, Immutable, Alias("pa.LedgerEntryPage")]
public sealed record LedgerEntryPage(
    [property: Id(0)] IReadOnlyList<LedgerEntryView> Items,
    [property: Id(1)] bool HasMore);
