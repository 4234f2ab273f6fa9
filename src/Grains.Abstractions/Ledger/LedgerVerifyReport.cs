namespace Payments.Actors.Ledger;

/// <summary>The proof that the books balance. <see cref="Balanced"/> is true exactly when <see cref="ProblemsTotal"/> is zero.</summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerVerifyReport")]
public sealed record LedgerVerifyReport(
    [property: Id(0)] bool Balanced,
    [property: Id(1)] long Transactions,
    [property: Id(2)] long Entries,
    [property: Id(3)] long Accounts,
    [property: Id(4)] IReadOnlyList<LedgerCurrencyTotal> Currencies,
    [property: Id(5)] IReadOnlyList<LedgerProblem> Problems,
    [property: Id(6)] long ProblemsTotal,
    [property: Id(7)] DateTimeOffset VerifiedAt);

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
    [property: Id(3)] string Detail);
