using Payments.Actors.Grains;
using Payments.Actors.Grains.Payments;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>The edge refuses non-positive amounts; the decider must never let one through to a PSP either.</summary>
public sealed class NonPositiveAmountTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ANonPositiveCaptureNeverBecomesAPendingOperation(long amount) =>
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.StartCapture(Authorized(), Capture(amount), 2, T0));

    [Theory]
    [InlineData(0)]
    [InlineData(-3_000)]
    public void ANonPositiveRefundNeverBecomesAPendingOperation(long amount) =>
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.StartRefund(Captured(), Refund(amount), NewId(1), 10, 3, T0));

    [Fact]
    public void AStateWithANegativeRefundBreaksTheInvariants()
    {
        var captured = Captured(10_000);
        // Refunds of +5,000 and -3,000 add up to a plausible 2,000: only the per-refund check sees the lie.
        var bad = captured with
        {
            Refunds = [new(NewId(2), 5_000, RefundStatuses.Succeeded, null, null, T0), new(NewId(3), -3_000, RefundStatuses.Succeeded, null, null, T0)],
            RefundedMinor = 2_000,
        };

        Assert.Throws<InvariantViolationException>(bad.AssertInvariants);
    }
}
