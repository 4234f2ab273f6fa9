namespace Payments.Actors.Events;

/// <summary>
/// Version 1 of a payment event's payload, serialised with <see cref="EventJson"/> (snake_case). The payment's state
/// after the event rides along so a consumer needs no lookup. Changes are additive only: a field that must change
/// meaning gets a new version.
/// </summary>
public sealed record PaymentEventV1(
    Guid EventId,
    string EventType,
    Guid PaymentId,
    string MerchantId,
    long AmountMinor,
    string Currency,
    string Psp,
    string? PspReference,
    Guid? RefundId,
    string State,
    int PaymentVersion,
    DateTimeOffset? OccurredAt,
    string? WalletId,
    Metadata? Metadata = null,
    Metadata? RefundMetadata = null,
    Guid? DisputeId = null);
