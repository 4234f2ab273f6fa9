namespace Payments.Actors.Ledger;

/// <summary>
/// Something that makes the books wrong: unbalanced_transaction, unbalanced_currency, orphan_entry,
/// mixed_transaction (legs of several events under one transaction id) or incomplete_posting.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerProblem")]
public sealed record LedgerProblem(
    [property: Id(0)] string Kind,
    [property: Id(1)] Guid? TransactionId,
    [property: Id(2)] string? Currency,
    [property: Id(3)] string Detail,
    [property: Id(4)] Guid? EventId = null,
    [property: Id(5)] Guid? PaymentId = null,
    [property: Id(6)] string? WalletId = null,
    [property: Id(7)] long? EntryId = null);
