namespace Payments.Actors.Ledger;

/// <summary>What the ledger did with one event. Every outcome is final: the consumer may commit its offset.</summary>
[GenerateSerializer]
public enum LedgerAppendOutcome
{
    /// <summary>The event's balanced posting is committed in ledger_entries.</summary>
    Posted = 0,
    /// <summary>This (source system, event id) was posted before (a redelivery, or a concurrent duplicate); nothing new was written.</summary>
    Duplicate = 1,
    /// <summary>A valid event that moves no money (initiated, authorized, declined, failed, voided); nothing to write.</summary>
    NoPosting = 2,
    /// <summary>A malformed or unknown event (poison): nothing written; send it to the topic's DLQ with <see cref="LedgerAppendResult.Reason"/>.</summary>
    Rejected = 3,
}
