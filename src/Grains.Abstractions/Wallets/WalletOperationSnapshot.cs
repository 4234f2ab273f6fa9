namespace Payments.Actors.Wallets;

/// <summary>One operation on a wallet, with the wallet's balances right after it.</summary>
[GenerateSerializer, Immutable, Alias("pa.WalletOperationSnapshot")]
public sealed record WalletOperationSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string WalletId,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] string Currency,
    [property: Id(5)] string State,
    [property: Id(6)] string? BankReference,
    [property: Id(7)] string? DeclineCode,
    [property: Id(8)] long AvailableMinor,
    [property: Id(9)] long HeldMinor,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt,
    [property: Id(12)] Metadata? Metadata = null);
