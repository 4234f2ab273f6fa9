namespace Payments.Actors.Webhooks;

/// <summary>What a PSP notification says happened, whatever provider sent it (docs/psp-webhooks.md).</summary>
[GenerateSerializer]
public enum PspNotificationKind
{
    Authorized = 0,
    Captured = 1,
    Voided = 2,
    Declined = 3,
    Refunded = 4,
    CaptureSettled = 5,
    DisputeOpened = 6,
    DisputeClosed = 7,
    TransferBooked = 8,
    TransferRejected = 9,
}
