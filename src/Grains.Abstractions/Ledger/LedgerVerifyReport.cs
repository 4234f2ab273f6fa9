namespace Payments.Actors.Ledger;

/// <summary>
/// The proof that the books balance and are complete. <see cref="Balanced"/>: every transaction and currency balances
/// and no entry is orphaned. <see cref="Complete"/>: every money event has its posting, and every payment's and wallet's
/// amounts equal their postings (leaving out what changed within the settle interval). <see cref="ChainIntact"/>: every
/// shard's hash chain recomputes, so no entry was altered, removed or slipped in (<see cref="UnchainedEntries"/> were
/// written before the chain existed). <see cref="ProblemsTotal"/> counts every kind.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerVerifyReport")]
public sealed record LedgerVerifyReport(
    [property: Id(0)] bool Balanced,
    [property: Id(1)] long Transactions,
    [property: Id(2)] long Entries,
    [property: Id(3)] long Accounts,
    [property: Id(4)] IReadOnlyList<LedgerCurrencyTotal> Currencies,
    [property: Id(5)] IReadOnlyList<LedgerProblem> Problems,
    [property: Id(6)] long ProblemsTotal,
    [property: Id(7)] DateTimeOffset VerifiedAt,
    [property: Id(8)] bool Complete = true,
    [property: Id(9)] bool ChainIntact = true,
    [property: Id(10)] long UnchainedEntries = 0);

/// <summary>One currency's totals over the whole journal; balanced when debits equal credits.</summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerCurrencyTotal")]
public sealed record LedgerCurrencyTotal(
    [property: Id(0)] string Currency,
    [property: Id(1)] long Transactions,
    [property: Id(2)] long Entries,
    [property: Id(3)] long DebitsMinor,
    [property: Id(4)] long CreditsMinor,
    [property: Id(5)] bool Balanced);

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

/// <summary>
/// What an operator's repair did: money events without their posting were posted from their outbox row through the
/// same rules and ledger grains as the Kafka feed. <see cref="Posted"/> were missing and are booked now,
/// <see cref="AlreadyBooked"/> had been booked meanwhile; <see cref="Rejected"/> and <see cref="Unrepairable"/>
/// (a payment or wallet whose amounts differ from the books with no event left to post) need a person.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerRepairReport")]
public sealed record LedgerRepairReport(
    [property: Id(0)] int Posted,
    [property: Id(1)] int AlreadyBooked,
    [property: Id(2)] IReadOnlyList<LedgerProblem> Rejected,
    [property: Id(3)] IReadOnlyList<LedgerProblem> Unrepairable,
    [property: Id(4)] DateTimeOffset RepairedAt);
