namespace Payments.Actors.Payments;

/// <summary>Expected outcomes are values (STYLE.md): the edge maps each code to a status and the error model.</summary>
[GenerateSerializer]
public enum PaymentResultCode
{
    /// <summary>Done; the snapshot shows the resulting state (which may be DECLINED or FAILED for a create).</summary>
    Ok = 0,
    /// <summary>Accepted and durable, but the PSP's answer is not known yet; the payment is pending.</summary>
    Pending = 1,
    NotFound = 2,
    IdempotencyKeyReused = 3,
    InvalidState = 4,
    OperationInProgress = 5,
    AmountExceedsAuthorized = 6,
    AmountExceedsRefundable = 7,
    LimitExceeded = 8,
    /// <summary>The PSP refused a capture, void or refund; the payment is unchanged and the key may be retried.</summary>
    PspRejected = 9,
    /// <summary>No PSP could take the request now (capacity, breaker, kill switch); nothing was sent, nothing charged. Retry with the same key.</summary>
    PspUnavailable = 10,
}
