using Payments.Actors.Grains;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>
/// Builds payment states by running the real decider, never by hand, so that every state a test starts
/// from is one the saga can actually reach. Each step asserts it was accepted, so a broken set-up fails loudly
/// instead of silently testing something else.
/// </summary>
internal static class PaymentScenario
{
    public const string Merchant = "mer_test";
    public const string PspName = "simulator";
    public const string CardNumber = "4242424242424242";
    public const string Cvc = "987";
    public const int RefundsMax = 10;

    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static Guid NewId(int n = 0) => UuidV7.New(T0.AddMilliseconds(n));

    public static CreatePayment CreateCommand(long amount = 10_000, bool capture = false, string currency = "EUR") =>
        new(Merchant, "key-create", "fp-create", amount, currency, capture,
            new CardDetails(CardNumber, 12, 2030, Cvc), "order-17", "two books");

    public static CapturePayment Capture(long? amount = null, string key = "key-capture") => new(Merchant, key, "fp-capture", amount);

    public static VoidPayment Void(string key = "key-void") => new(Merchant, key, "fp-void");

    public static RefundPayment Refund(long? amount = null, string key = "key-refund", string? reason = "customer asked") =>
        new(Merchant, key, "fp-refund", amount, reason);

    public static PspResult Approved(string? reference = "psp_ref_1", string? operationReference = null) =>
        new(PspOutcome.Approved, reference, null, null, operationReference);

    public static PspResult Declined(string? code = "insufficient_funds") => new(PspOutcome.Declined, "psp_ref_1", code, "declined");

    public static PspResult Rejected(string? message = "bad request") => new(PspOutcome.Rejected, null, null, message);

    public static PspResult Unknown() => new(PspOutcome.Unknown, null, null, "timed out");

    public static PspResult NotFound() => new(PspOutcome.NotFound, null, null, null);

    /// <summary>INITIATED with a pending authorisation.</summary>
    public static PaymentState Initiated(long amount = 10_000, bool capture = false, Guid? id = null) =>
        Accepted(PaymentDecider.StartCreate(id ?? NewId(), CreateCommand(amount, capture), PspName, T0));

    public static PaymentState Authorized(long amount = 10_000) =>
        Accepted(PaymentDecider.Complete(Initiated(amount), Approved(), T0.AddSeconds(1)));

    /// <summary>CAPTURED for <paramref name="captureAmount"/> (the whole authorisation when null).</summary>
    public static PaymentState Captured(long amount = 10_000, long? captureAmount = null)
    {
        var pending = Accepted(PaymentDecider.StartCapture(Authorized(amount), Capture(captureAmount), 2, T0.AddSeconds(2)));
        return Accepted(PaymentDecider.Complete(pending, Approved(), T0.AddSeconds(3)));
    }

    /// <summary>Starts and completes one refund; the refund id is returned so tests can look for it.</summary>
    public static PaymentState Refunded(PaymentState captured, long? amount, out Guid refundId, int refundsMax = RefundsMax)
    {
        refundId = Guid.CreateVersion7(captured.UpdatedAt.AddSeconds(1));
        var now = captured.UpdatedAt.AddSeconds(1);
        var pending = Accepted(PaymentDecider.StartRefund(captured, Refund(amount), refundId, refundsMax, captured.Version, now));
        return Accepted(PaymentDecider.Complete(pending, Approved(operationReference: $"re_{captured.Version}"), now.AddSeconds(1)));
    }

    public static PaymentState Reversed(long amount = 10_000)
    {
        var pending = Accepted(PaymentDecider.StartVoid(Authorized(amount), Void(), 2, T0.AddSeconds(2)));
        return Accepted(PaymentDecider.Complete(pending, Approved(), T0.AddSeconds(3)));
    }

    /// <summary>Any of the states the saga can reach, by wire name, with no pending operation (except INITIATED).</summary>
    public static PaymentState InStatus(PaymentStatus status) => status switch
    {
        PaymentStatus.Initiated => Initiated(),
        PaymentStatus.Authorized => Authorized(),
        PaymentStatus.Captured => Captured(),
        PaymentStatus.Declined => Accepted(PaymentDecider.Complete(Initiated(), Declined(), T0.AddSeconds(1))),
        PaymentStatus.Failed => Accepted(PaymentDecider.Complete(Initiated(), Rejected(), T0.AddSeconds(1))),
        PaymentStatus.Refunded => Refunded(Captured(), amount: null, out _),
        PaymentStatus.Reversed => Reversed(),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Starts <paramref name="operation"/> on <paramref name="state"/> with the smallest or the default amount.</summary>
    public static Decision Start(PaymentState state, FollowUp operation, DateTimeOffset now) => operation switch
    {
        FollowUp.FullCapture => PaymentDecider.StartCapture(state, Capture(amount: null), state.Version, now),
        FollowUp.PartialCapture => PaymentDecider.StartCapture(state, Capture(amount: 1), state.Version, now),
        FollowUp.Void => PaymentDecider.StartVoid(state, Void(), state.Version, now),
        FollowUp.FullRefund => PaymentDecider.StartRefund(state, Refund(amount: null), NewId(99), RefundsMax, state.Version, now),
        FollowUp.PartialRefund => PaymentDecider.StartRefund(state, Refund(amount: 1), NewId(99), RefundsMax, state.Version, now),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    public static PaymentState Accepted(Decision decision)
    {
        Assert.False(decision.IsRejected, $"Set-up step was rejected: {decision.Rejection} {decision.Message}");
        Assert.NotNull(decision.NewState);
        return decision.NewState;
    }
}
