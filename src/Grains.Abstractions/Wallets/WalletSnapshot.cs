namespace Payments.Actors.Wallets;

/// <summary>
/// A wallet as the API shows it. <c>PendingCashOutMinor</c>: cash-outs reserved and sent to the Bank whose
/// answer is not in yet. <c>BalanceMinor</c>: what the wallet owes its holder by its own books (available +
/// held + pending cash-outs); <c>LedgerMinor</c>: the balance of its account in the double-entry ledger,
/// which follows through the outbox and Kafka and so may lag behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.WalletSnapshot")]
public sealed record WalletSnapshot(
    [property: Id(0)] Guid Uid,
    [property: Id(1)] string WalletId,
    [property: Id(2)] string Currency,
    [property: Id(3)] long AvailableMinor,
    [property: Id(4)] long HeldMinor,
    [property: Id(5)] long PendingCashOutMinor,
    [property: Id(6)] long LedgerMinor,
    [property: Id(7)] IReadOnlyList<WalletHoldSnapshot> Holds,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] int Version,
    [property: Id(11)] long BalanceMinor);
