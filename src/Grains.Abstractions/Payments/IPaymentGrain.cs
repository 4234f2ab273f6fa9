using Orleans.Concurrency;

namespace Payments.Actors.Payments;

/// <summary>
/// One payment: its saga state machine and its per-operation idempotency records. The activation is
/// the serialisation point: concurrent operations on one payment run one after another.
/// </summary>
public interface IPaymentGrain : IGrainWithGuidKey
{
    Task<PaymentResult> CreateAsync(CreatePayment command);

    Task<PaymentResult> CaptureAsync(CapturePayment command);

    Task<PaymentResult> VoidAsync(VoidPayment command);

    Task<PaymentResult> RefundAsync(RefundPayment command);

    /// <summary>Makes sure a pending PSP operation is being resolved (called by the sweeper after a crash).</summary>
    Task ResumeAsync();

    /// <summary>Reads never queue behind a PSP call: they see the last durable state.</summary>
    [AlwaysInterleave]
    Task<PaymentSnapshot?> GetAsync(string merchantId);
}
