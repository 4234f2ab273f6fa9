using Payments.Actors.Events;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>Refusals that prove nothing was sent, for reasons of capacity or health, are retryable; other refusals are final.</summary>
public sealed class PspUnavailableTests
{
    [Theory]
    [InlineData(PspErrorCodes.BulkheadFull)]
    [InlineData(PspErrorCodes.CircuitOpen)]
    [InlineData(PspErrorCodes.Disabled)]
    [InlineData(PspErrorCodes.Unreachable)]
    public void AnAuthorisationNoPspCouldTakeFailsTheAttemptAndAsksForARetry(string code)
    {
        var decision = PaymentDecider.Complete(Initiated(), new PspResult(PspOutcome.Rejected, null, code, "refused unsent"), T0);

        Assert.Equal(PaymentResultCode.PspUnavailable, decision.Rejection);
        Assert.Equal(PaymentStatus.Failed, decision.NewState!.Status);
        Assert.Equal(code, decision.NewState.FailureReason);
        Assert.Null(decision.NewState.Pending);
        Assert.Contains(decision.Events, e => e.Type == PaymentEventTypes.Failed);
    }

    [Fact]
    public void AnAuthorisationThePspRefusedOnItsMeritsIsAFinalFailure()
    {
        var decision = PaymentDecider.Complete(Initiated(), new PspResult(PspOutcome.Rejected, null, "INVALID_CARD", "bad card"), T0);

        Assert.Null(decision.Rejection);
        Assert.Equal(PaymentStatus.Failed, decision.NewState!.Status);
    }

    [Fact]
    public void ACaptureRefusedUnsentLeavesThePaymentAuthorisedAndAsksForARetry()
    {
        var capturing = PaymentDecider.StartCapture(Authorized(), Capture(), 2, T0).NewState!;

        var decision = PaymentDecider.Complete(capturing, new PspResult(PspOutcome.Rejected, null, PspErrorCodes.CircuitOpen, "open"), T0);

        Assert.Equal(PaymentResultCode.PspUnavailable, decision.Rejection);
        Assert.Equal(PaymentStatus.Authorized, decision.NewState!.Status);
        Assert.Null(decision.NewState.Pending);
        Assert.Empty(decision.Events);
    }
}
