namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The outcome of a capture, cancel or refund on a PSP A payment.</summary>
internal enum PspAOperationResult
{
    Done,
    InvalidAmount,
    AmountExceedsAuthorized,
    AlreadyCaptured,
    NotCapturable,
    NotCancelable,
    NotRefundable,
    RefundExceedsCaptured,
    RefundLimitReached,
}
