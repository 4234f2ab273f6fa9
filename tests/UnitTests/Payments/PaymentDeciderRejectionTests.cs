using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>The negative space of the saga: every refused command is a value, and a refusal writes nothing.</summary>
public sealed class PaymentDeciderRejectionTests
{
    private static readonly DateTimeOffset Later = T0.AddMinutes(1);

    private static void AssertRejected(Decision decision, PaymentResultCode code)
    {
        Assert.True(decision.IsRejected);
        Assert.Equal(code, decision.Rejection);
        Assert.Null(decision.NewState);
        Assert.Empty(decision.Events);
        Assert.False(string.IsNullOrWhiteSpace(decision.Message));
    }

    [Fact]
    public void CaptureAboveTheAuthorisedAmountIsRejectedAsAmountExceedsAuthorized()
    {
        var authorized = Authorized(amount: 5_000);

        var decision = PaymentDecider.StartCapture(authorized, Capture(amount: 5_001), authorized.Version, Later);

        AssertRejected(decision, PaymentResultCode.AmountExceedsAuthorized);
        Assert.Contains("5001", decision.Message, StringComparison.Ordinal);
        Assert.Contains("5000", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefundAboveTheRefundableAmountIsRejectedAsAmountExceedsRefundable()
    {
        var partlyRefunded = Refunded(Captured(amount: 10_000), amount: 3_000, out _);

        var decision = PaymentDecider.StartRefund(partlyRefunded, Refund(amount: 7_001), NewId(5), RefundsMax, partlyRefunded.Version, Later);

        AssertRejected(decision, PaymentResultCode.AmountExceedsRefundable);
        Assert.Contains("7001", decision.Message, StringComparison.Ordinal);
        Assert.Contains("7000", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefundAboveAPartialCaptureIsRejectedEvenWithinTheAuthorisation()
    {
        var captured = Captured(amount: 10_000, captureAmount: 6_000);

        var decision = PaymentDecider.StartRefund(captured, Refund(amount: 6_001), NewId(5), RefundsMax, captured.Version, Later);

        AssertRejected(decision, PaymentResultCode.AmountExceedsRefundable);
    }

    [Fact]
    public void CaptureAfterVoidIsRejected()
    {
        var reversed = Reversed();

        var decision = PaymentDecider.StartCapture(reversed, Capture(), reversed.Version, Later);

        AssertRejected(decision, PaymentResultCode.InvalidState);
        Assert.Contains("REVERSED", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VoidAfterCaptureIsRejected()
    {
        var captured = Captured();

        var decision = PaymentDecider.StartVoid(captured, Void(), captured.Version, Later);

        AssertRejected(decision, PaymentResultCode.InvalidState);
        Assert.Contains("CAPTURED", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VoidAfterAPartialRefundIsRejected()
    {
        var partlyRefunded = Refunded(Captured(), amount: 100, out _);

        AssertRejected(PaymentDecider.StartVoid(partlyRefunded, Void(), partlyRefunded.Version, Later), PaymentResultCode.InvalidState);
    }

    [Fact]
    public void RefundBeforeCaptureIsRejected()
    {
        var authorized = Authorized();

        var decision = PaymentDecider.StartRefund(authorized, Refund(amount: 1), NewId(5), RefundsMax, authorized.Version, Later);

        AssertRejected(decision, PaymentResultCode.InvalidState);
        Assert.Contains("AUTHORIZED", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CaptureTwiceIsRejected()
    {
        var captured = Captured(amount: 10_000, captureAmount: 4_000);

        // Even the uncaptured remainder of the authorisation cannot be captured by a second capture.
        AssertRejected(PaymentDecider.StartCapture(captured, Capture(amount: 1_000), captured.Version, Later), PaymentResultCode.InvalidState);
        AssertRejected(PaymentDecider.StartCapture(captured, Capture(amount: null), captured.Version, Later), PaymentResultCode.InvalidState);
    }

    [Fact]
    public void VoidTwiceIsRejected()
    {
        var reversed = Reversed();

        AssertRejected(PaymentDecider.StartVoid(reversed, Void(), reversed.Version, Later), PaymentResultCode.InvalidState);
    }

    public static TheoryData<PspOperation, FollowUp> PendingByFollowUp()
    {
        var data = new TheoryData<PspOperation, FollowUp>();
        foreach (var pending in Enum.GetValues<PspOperation>())
        {
            foreach (var followUp in Enum.GetValues<FollowUp>())
            {
                data.Add(pending, followUp);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PendingByFollowUp))]
    public void AnyOperationWhileAnotherIsPendingIsRejectedAsInProgress(PspOperation pending, FollowUp followUp)
    {
        var state = pending switch
        {
            PspOperation.Authorize => Initiated(),
            PspOperation.Capture => Accepted(PaymentDecider.StartCapture(Authorized(), Capture(), 2, T0.AddSeconds(2))),
            PspOperation.Void => Accepted(PaymentDecider.StartVoid(Authorized(), Void(), 2, T0.AddSeconds(2))),
            _ => Accepted(PaymentDecider.StartRefund(Captured(), Refund(100), NewId(3), RefundsMax, 4, T0.AddSeconds(4))),
        };
        Assert.Equal(pending, state.Pending!.Operation);

        var decision = Start(state, followUp, Later);

        AssertRejected(decision, PaymentResultCode.OperationInProgress);
        Assert.Contains(state.Pending.WireName, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefundBeyondTheRefundLimitIsRejectedAsLimitExceeded()
    {
        const int refundsMax = 3;
        var state = Captured(amount: 10_000);
        for (var i = 0; i < refundsMax; i++)
        {
            state = Refunded(state, amount: 100, out _, refundsMax);
        }

        Assert.Equal(PaymentStatus.Captured, state.Status);
        Assert.Equal(refundsMax, state.Refunds.Length);

        var decision = PaymentDecider.StartRefund(state, Refund(amount: 100), NewId(8), refundsMax, state.Version, Later);

        AssertRejected(decision, PaymentResultCode.LimitExceeded);
        Assert.Contains("3", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefundAtTheLimitMinusOneIsStillAccepted()
    {
        const int refundsMax = 2;
        var state = Refunded(Captured(amount: 10_000), amount: 100, out _, refundsMax);

        var decision = PaymentDecider.StartRefund(state, Refund(amount: 100), NewId(8), refundsMax, state.Version, Later);

        Assert.False(decision.IsRejected);
    }

    public static TheoryData<FollowUp, PspOutcome> RefusedFollowUps()
    {
        var data = new TheoryData<FollowUp, PspOutcome>();
        foreach (var followUp in new[] { FollowUp.FullCapture, FollowUp.PartialCapture, FollowUp.Void, FollowUp.FullRefund, FollowUp.PartialRefund })
        {
            foreach (var outcome in new[] { PspOutcome.Declined, PspOutcome.Rejected, PspOutcome.NotFound })
            {
                data.Add(followUp, outcome);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedFollowUps))]
    public void PspRefusingAFollowUpOnlyClearsThePendingOperationAndIsRejectedAsPspRejected(FollowUp followUp, PspOutcome outcome)
    {
        var before = followUp is FollowUp.FullRefund or FollowUp.PartialRefund ? Refunded(Captured(), amount: 500, out _) : Authorized();
        var pending = Accepted(Start(before, followUp, Later));
        var now = Later.AddSeconds(1);

        var decision = PaymentDecider.Complete(pending, new PspResult(outcome, null, "card_expired", "refused"), now);

        Assert.True(decision.IsRejected);
        Assert.Equal(PaymentResultCode.PspRejected, decision.Rejection);
        Assert.Empty(decision.Events);
        Assert.Contains(pending.Pending!.WireName, decision.Message, StringComparison.Ordinal);
        // Everything the merchant can see is as it was before the operation; only bookkeeping moves on.
        Assert.Equal(pending with { Pending = null, Version = pending.Version + 1, UpdatedAt = now }, decision.NewState);
        Assert.Equal(before.Status, decision.NewState!.Status);
        Assert.Equal(before.CapturedMinor, decision.NewState.CapturedMinor);
        Assert.Equal(before.RefundedMinor, decision.NewState.RefundedMinor);
        Assert.Equal(before.Refunds.Length, decision.NewState.Refunds.Length);
    }

    [Fact]
    public void AfterThePspRefusesACaptureTheMerchantMayCaptureAgain()
    {
        var authorized = Authorized();
        var pending = Accepted(PaymentDecider.StartCapture(authorized, Capture(), authorized.Version, Later));
        var refused = PaymentDecider.Complete(pending, Declined(), Later.AddSeconds(1)).NewState!;

        var retry = PaymentDecider.StartCapture(refused, Capture(key: "key-capture-2"), refused.Version, Later.AddSeconds(2));

        Assert.False(retry.IsRejected);
        Assert.Equal(PspOperation.Capture, retry.NewState!.Pending!.Operation);
    }

    [Theory]
    [InlineData(PaymentStatus.Initiated, FollowUp.FullCapture, PaymentResultCode.OperationInProgress)]
    [InlineData(PaymentStatus.Authorized, FollowUp.FullRefund, PaymentResultCode.InvalidState)]
    [InlineData(PaymentStatus.Authorized, FollowUp.PartialRefund, PaymentResultCode.InvalidState)]
    [InlineData(PaymentStatus.Captured, FollowUp.FullCapture, PaymentResultCode.InvalidState)]
    [InlineData(PaymentStatus.Captured, FollowUp.Void, PaymentResultCode.InvalidState)]
    public void OperationInTheWrongLiveStateIsRejectedWithTheRightCode(PaymentStatus status, FollowUp followUp, PaymentResultCode code)
    {
        var state = InStatus(status);

        AssertRejected(Start(state, followUp, Later), code);
    }

    [Fact]
    public void StateCheckComesBeforeTheAmountCheck()
    {
        // A refund on an authorised payment is refused for its state, not for exceeding a refundable of zero.
        var authorized = Authorized();

        var decision = PaymentDecider.StartRefund(authorized, Refund(amount: 1_000_000), NewId(5), RefundsMax, authorized.Version, Later);

        AssertRejected(decision, PaymentResultCode.InvalidState);
    }
}
