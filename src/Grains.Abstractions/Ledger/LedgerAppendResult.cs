namespace Payments.Actors.Ledger;

/// <summary>The ledger's answer for one event of an append, in the order the events were given.</summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerAppendResult")]
public sealed record LedgerAppendResult(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] LedgerAppendOutcome Outcome,
    [property: Id(2)] string? Reason = null,
    [property: Id(3)] Guid? TransactionId = null);
