namespace Payments.Actors.Events;

/// <summary>
/// Version 1 of a wallet event's payload, serialised with <see cref="EventJson"/> (snake_case). <see cref="HoldId"/>
/// names the hold a <see cref="WalletEventTypes.HoldCaptured"/> ended. Changes are additive only.
/// </summary>
public sealed record WalletEventV1(
    Guid EventId,
    string EventType,
    Guid WalletUid,
    string MerchantId,
    string WalletId,
    long AmountMinor,
    string Currency,
    Guid OperationId,
    DateTimeOffset? OccurredAt,
    Guid? HoldId,
    Metadata? Metadata = null);
