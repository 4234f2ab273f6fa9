using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>A PSP A payment. Changes happen under the payment's own lock, so no two captures or refunds race.</summary>
internal sealed class PspAPayment : ICharge
{
    public const int RefundsMax = 100;
    private const string RefundSucceeded = "succeeded";

    private readonly Lock _gate = new();
    private string _status;
    private long _capturedAmount;
    private long _refundedAmount;
    private int _refundCount;

    public PspAPayment(string id, string reference, long amount, string currency, string status, string? declineReason, DateTimeOffset createdAt)
    {
        Id = id;
        Reference = reference;
        Amount = amount;
        Currency = currency;
        DeclineReason = declineReason;
        CreatedAt = createdAt;
        _status = status;
        _capturedAmount = status == PspAPaymentStatus.Captured ? amount : 0;
    }

    public string Id { get; }

    public string Reference { get; }

    public long Amount { get; }

    public string Currency { get; }

    public string? DeclineReason { get; }

    public DateTimeOffset CreatedAt { get; }

    public static string NewId() => "pa_" + Guid.NewGuid().ToString("N");

    public PspAPaymentResponse ToResponse()
    {
        lock (_gate)
        {
            return Snapshot();
        }
    }

    public PspAOperationResult Capture(long? amount, out PspAPaymentResponse payment)
    {
        lock (_gate)
        {
            var captured = amount ?? Amount;
            var result = _status switch
            {
                PspAPaymentStatus.Captured => PspAOperationResult.AlreadyCaptured,
                not PspAPaymentStatus.Authorized => PspAOperationResult.NotCapturable,
                _ when captured <= 0 => PspAOperationResult.InvalidAmount,
                _ when captured > Amount => PspAOperationResult.AmountExceedsAuthorized,
                _ => PspAOperationResult.Done,
            };
            if (result == PspAOperationResult.Done)
            {
                _status = PspAPaymentStatus.Captured;
                _capturedAmount = captured;
                Invariant.Assert(_capturedAmount <= Amount, $"payment {Id} captured {_capturedAmount} of {Amount}");
            }

            payment = Snapshot();
            return result;
        }
    }

    public PspAOperationResult Cancel(out PspAPaymentResponse payment)
    {
        lock (_gate)
        {
            var result = _status == PspAPaymentStatus.Authorized ? PspAOperationResult.Done : PspAOperationResult.NotCancelable;
            if (result == PspAOperationResult.Done)
            {
                _status = PspAPaymentStatus.Canceled;
            }

            payment = Snapshot();
            return result;
        }
    }

    public PspAOperationResult Refund(long? amount, out PspARefundResponse? refund)
    {
        lock (_gate)
        {
            var refunded = amount ?? _capturedAmount - _refundedAmount;
            var result = _status switch
            {
                not PspAPaymentStatus.Captured => PspAOperationResult.NotRefundable,
                _ when _refundCount == RefundsMax => PspAOperationResult.RefundLimitReached,
                _ when amount <= 0 => PspAOperationResult.InvalidAmount,
                _ when refunded <= 0 || _refundedAmount + refunded > _capturedAmount => PspAOperationResult.RefundExceedsCaptured,
                _ => PspAOperationResult.Done,
            };
            refund = null;
            if (result == PspAOperationResult.Done)
            {
                _refundedAmount += refunded;
                _refundCount++;
                Invariant.Assert(_refundedAmount <= _capturedAmount, $"payment {Id} refunded {_refundedAmount} of {_capturedAmount} captured");
                refund = new PspARefundResponse("re_" + Guid.NewGuid().ToString("N"), Id, refunded, RefundSucceeded);
            }

            return result;
        }
    }

    public ChargeSummary Summarize(DateTimeOffset now)
    {
        lock (_gate)
        {
            return new ChargeSummary(Id, Reference, "payment", _status, Amount, Currency, _capturedAmount, _refundedAmount, DeclineReason, CreatedAt);
        }
    }

    private PspAPaymentResponse Snapshot() =>
        new(Id, Reference, _status, Amount, Currency, _capturedAmount, _refundedAmount, DeclineReason);
}
