namespace Payments.Actors.Ledger;

/// <summary>
/// An account with its balance derived from its entries. <see cref="BalanceMinor"/> is on the account's
/// normal side: debits minus credits for asset and expense accounts, credits minus debits otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerAccountBalance")]
public sealed record LedgerAccountBalance(
    [property: Id(0)] string Code,
    [property: Id(1)] string Type,
    [property: Id(2)] string Currency,
    [property: Id(3)] string? MerchantId,
    [property: Id(4)] string? OwnerRef,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] long DebitsMinor,
    [property: Id(7)] long CreditsMinor,
    [property: Id(8)] long BalanceMinor,
    [property: Id(9)] long Entries,
    [property: Id(10)] DateTimeOffset? AsOf);
