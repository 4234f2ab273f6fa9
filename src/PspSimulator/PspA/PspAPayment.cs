using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>
/// A PSP A payment. Changes happen under the payment's own lock, so no two captures or refunds race; the
/// callbacks that publish a change's notification run under that lock too, so notifications about one
/// payment are queued in the order its changes happened.
/// </summary>
internal sealed class PspAPayment : ICardCharge
{
    public const int RefundsMax = 100;
    private const string RefundSucceeded = "succeeded";

    private readonly Lock _gate = new();
    private string _status;
    private long _capturedAmount;
    private long _refundedAmount;
    private int _refundCount;
    private bool _settled;
    private bool _disputed;

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

    public bool IsCaptured
    {
        get
        {
            lock (_gate)
            {
                return _status == PspAPaymentStatus.Captured;
            }
        }
    }

    public static string NewId() => "pa_" + Guid.NewGuid().ToString("N");

    public PspAPaymentResponse ToResponse()
    {
        lock (_gate)
        {
            return Snapshot();
        }
    }

    public PspAOperationResult Capture(long? amount, Action<PspAPaymentResponse> done, out PspAPaymentResponse payment)
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
            if (result == PspAOperationResult.Done)
            {
                done(payment);
            }

            return result;
        }
    }

    public PspAOperationResult Cancel(Action<PspAPaymentResponse> done, out PspAPaymentResponse payment)
    {
        lock (_gate)
        {
            var result = _status == PspAPaymentStatus.Authorized ? PspAOperationResult.Done : PspAOperationResult.NotCancelable;
            if (result == PspAOperationResult.Done)
            {
                _status = PspAPaymentStatus.Canceled;
            }

            payment = Snapshot();
            if (result == PspAOperationResult.Done)
            {
                done(payment);
            }

            return result;
        }
    }

    public PspAOperationResult Refund(long? amount, Action<PspARefundResponse> done, out PspARefundResponse? refund)
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
                done(refund);
            }

            return result;
        }
    }

    public bool TrySettle(Action settled)
    {
        lock (_gate)
        {
            if (_status != PspAPaymentStatus.Captured || _settled)
            {
                return false;
            }

            _settled = true;
            settled();
            return true;
        }
    }

    public DisputeCheck TryDispute(long? amountMinor, Action<long> opened)
    {
        lock (_gate)
        {
            var disputed = amountMinor ?? _capturedAmount;
            var check = _status != PspAPaymentStatus.Captured ? DisputeCheck.NotCaptured
                : _disputed ? DisputeCheck.AlreadyDisputed
                : disputed <= 0 || disputed > _capturedAmount ? DisputeCheck.InvalidAmount
                : DisputeCheck.Opened;
            if (check == DisputeCheck.Opened)
            {
                _disputed = true;
                opened(disputed);
            }

            return check;
        }
    }

    public ChargeSummary Summarize(DateTimeOffset now)
    {
        lock (_gate)
        {
            return new ChargeSummary(Id, Reference, "payment", _status, Amount, Currency, _capturedAmount, _refundedAmount, DeclineReason, CreatedAt, _settled);
        }
    }

    private PspAPaymentResponse Snapshot() =>
        new(Id, Reference, _status, Amount, Currency, _capturedAmount, _refundedAmount, DeclineReason);
}
