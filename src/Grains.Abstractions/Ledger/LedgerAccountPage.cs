namespace Payments.Actors.Ledger;

[GenerateSerializer, Immutable, Alias("pa.LedgerAccountPage")]
public sealed record LedgerAccountPage(
    [property: Id(0)] IReadOnlyList<LedgerAccountBalance> Items,
    [property: Id(1)] bool HasMore);
