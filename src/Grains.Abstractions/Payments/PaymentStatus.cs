namespace Payments.Actors.Payments;

/// <summary>The states of the payment saga.</summary>
[GenerateSerializer]
public enum PaymentStatus
{
    /// <summary>Accepted and durable; the authorisation has not been answered by the PSP yet (or its outcome is unknown).</summary>
    Initiated = 0,
    Authorized = 1,
    /// <summary>Captured in full or in part; partial refunds keep this state.</summary>
    Captured = 2,
    Declined = 3,
    Failed = 4,
    /// <summary>Refunded in full.</summary>
    Refunded = 5,
    /// <summary>Voided before capture (the authorisation was reversed).</summary>
    Reversed = 6,
}
