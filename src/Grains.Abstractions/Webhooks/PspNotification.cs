namespace Payments.Actors.Webhooks;

/// <summary>
/// A PSP notification in one shape for every provider: what ingest stores in <c>webhooks_in</c>, publishes on
/// <c>webhooks.in</c> (serialised with <see cref="Events.EventJson"/>) and what processing hands to the payment grain.
/// Amounts are integer minor units; times are UTC.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspNotification")]
public sealed record PspNotification(
    [property: Id(0)] Guid NotificationId,
    [property: Id(1)] string Provider,
    [property: Id(2)] string ProviderEventId,
    [property: Id(3)] PspNotificationKind Kind,
    [property: Id(4)] Guid? PaymentId,
    [property: Id(5)] string? TransferRef,
    [property: Id(6)] string? PspReference,
    [property: Id(7)] string? OperationReference,
    [property: Id(8)] long? AmountMinor,
    [property: Id(9)] string? Currency,
    [property: Id(10)] string? Reason,
    [property: Id(11)] string? DisputeOutcome,
    [property: Id(12)] DateTimeOffset? DisputeDueBy,
    [property: Id(13)] DateTimeOffset OccurredAt);
