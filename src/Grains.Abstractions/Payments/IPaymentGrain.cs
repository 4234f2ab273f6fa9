using Orleans.Concurrency;
using Payments.Actors.Webhooks;

namespace Payments.Actors.Payments;

/// <summary>
/// One payment: its saga state machine and its per-operation idempotency records. The activation is
/// the serialisation point: concurrent operations on one payment run one after another.
/// </summary>
[Alias("pa.IPaymentGrain")]
public interface IPaymentGrain : IGrainWithGuidKey
{
    /// <summary>Creates the payment, or answers a duplicate of its create with the replay.</summary>
    Task<PaymentResult> CreateAsync(CreatePayment command);

    /// <summary>
    /// Creates a payment under an id the caller minted a moment ago: no row can exist yet, so the
    /// grain reads nothing first. A key already bound to another payment surfaces as a conflict on
    /// the claim and comes back as <see cref="PaymentResultCode.OperationInProgress"/> with no payment.
    /// </summary>
    Task<PaymentResult> CreateNewAsync(CreatePayment command);

    Task<PaymentResult> CaptureAsync(CapturePayment command);

    Task<PaymentResult> VoidAsync(VoidPayment command);

    Task<PaymentResult> RefundAsync(RefundPayment command);

    /// <summary>
    /// Applies a PSP notification: it settles the pending operation it answers, or changes nothing (a duplicate, a stale
    /// notification, or a contradiction recorded as a discrepancy). Throws when it could not be judged now (retry it).
    /// </summary>
    Task<PspNotificationOutcome> ApplyNotificationAsync(PspNotification notification);

    /// <summary>Makes sure a pending PSP operation is being resolved (called by the sweeper after a crash).</summary>
    Task ResumeAsync();

    /// <summary>Reads never queue behind a PSP call: they see the last durable state.</summary>
    [AlwaysInterleave]
    Task<PaymentSnapshot?> GetAsync(string merchantId);
}
