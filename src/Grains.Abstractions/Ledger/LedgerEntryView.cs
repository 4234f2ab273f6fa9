namespace Payments.Actors.Ledger;

/// <summary>One journal row as an auditor reads it. <see cref="Side"/> is "debit" or "credit"; the amount is always positive.</summary>
[GenerateSerializer, Immutable, Alias("pa.LedgerEntryView")]
public sealed record LedgerEntryView(
    [property: Id(0)] long Id,
    [property: Id(1)] Guid TransactionId,
    [property: Id(2)] string SourceSystem,
    [property: Id(3)] Guid SourceEventId,
    [property: Id(4)] string EventType,
    [property: Id(5)] int Leg,
    [property: Id(6)] string AccountCode,
    [property: Id(7)] string Side,
    [property: Id(8)] long AmountMinor,
    [property: Id(9)] string Currency,
    [property: Id(10)] Guid? PaymentId,
    [property: Id(11)] string? WalletId,
    [property: Id(12)] string? Memo,
    [property: Id(13)] DateTimeOffset EffectiveAt,
    [property: Id(14)] DateTimeOffset RecordedAt);
