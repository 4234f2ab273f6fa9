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
