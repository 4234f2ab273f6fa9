using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.UnitTests.Payments;
using Payments.Actors.Webhooks;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>What a PSP notification does to a payment: settle its pending operation, or change nothing.</summary>
public sealed class NotificationRulesTests
{
    private static int _events;

    private static PspNotification Notify(PaymentState payment, PspNotificationKind kind, long? amount = null, string? reason = null,
        string? operationReference = null, string? provider = null, string? pspReference = "psp_ref_1", string? currency = null) =>
        new(Guid.NewGuid(), provider ?? PspName, $"evt_{Interlocked.Increment(ref _events)}", kind, payment.Id, null, pspReference, operationReference,
            amount, currency ?? payment.Currency, reason, null, null, T0.AddMinutes(1));

    private static PaymentState Apply(PaymentState state, NotificationVerdict verdict)
    {
        Assert.Equal(PspNotificationOutcome.Applied, verdict.Outcome);
        return Accepted(PaymentDecider.Complete(state, verdict.Settles!, T0.AddMinutes(2)));
    }

    [Fact]
    public void APendingAuthorisationIsSettledByTheAuthorisedNotification()
    {
        var pending = Initiated(amount: 1_250);

        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Authorized, amount: 1_250)));

        Assert.Equal(PaymentStatus.Authorized, settled.Status);
        Assert.Equal(1_250, settled.AuthorizedMinor);
        Assert.Null(settled.Pending);
    }

    [Fact]
    public void APendingSaleIsCapturedByTheCapturedNotification()
    {
        var pending = Initiated(amount: 900, capture: true);

        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Captured, amount: 900)));

        Assert.Equal(PaymentStatus.Captured, settled.Status);
        Assert.Equal(900, settled.CapturedMinor);
    }

    [Theory]
    [InlineData("insufficient_funds", "INSUFFICIENT_FUNDS")]
    [InlineData("51", "INSUFFICIENT_FUNDS")]
    [InlineData("do_not_honor", "DO_NOT_HONOR")]
    [InlineData("05", "DO_NOT_HONOR")]
    [InlineData(null, "DECLINED")]
    public void ADeclineNotificationDeclinesThePendingAuthorisationWithTheCodeTheConnectorsWouldGive(string? reason, string declineCode)
    {
        var pending = Initiated();

        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Declined, reason: reason)));

        Assert.Equal(PaymentStatus.Declined, settled.Status);
        Assert.Equal(declineCode, settled.DeclineCode);
    }

    [Fact]
    public void TheSameNotificationAgainChangesNothing()
    {
        var pending = Initiated();
        var notification = Notify(pending, PspNotificationKind.Authorized, amount: pending.AmountMinor);
        var settled = Apply(pending, Judge(pending, notification));

        var again = Judge(settled, notification);

        Assert.Equal(PspNotificationOutcome.AlreadyReflected, again.Outcome);
        Assert.Null(again.Settles);
    }

    [Fact]
    public void AnAuthorisedNotificationArrivingAfterTheCaptureChangesNothing()
    {
        var captured = Captured();

        var verdict = Judge(captured, Notify(captured, PspNotificationKind.Authorized));

        Assert.Equal(PspNotificationOutcome.AlreadyReflected, verdict.Outcome);
    }

    /// <summary>Every reachable state against every kind of notification: only a pending operation is ever settled, so nothing moves backwards.</summary>
    [Fact]
    public void OnlyAPendingOperationIsEverSettledSoNoNotificationMovesAPaymentBackwards()
    {
        foreach (var status in Enum.GetValues<PaymentStatus>())
        {
            var state = InStatus(status);
            foreach (var kind in Enum.GetValues<PspNotificationKind>())
            {
                var verdict = Judge(state, Notify(state, kind, amount: state.AmountMinor));
                if (state.Pending is null)
                {
                    Assert.NotEqual(PspNotificationOutcome.Applied, verdict.Outcome);
                    Assert.Null(verdict.Settles);
                }
                else if (verdict.Outcome == PspNotificationOutcome.Applied)
                {
                    var next = PaymentDecider.Complete(state, verdict.Settles!, T0.AddMinutes(2)).NewState!;
                    Assert.True(next.AuthorizedMinor >= state.AuthorizedMinor && next.CapturedMinor >= state.CapturedMinor
                        && next.RefundedMinor >= state.RefundedMinor, $"{status} + {kind}");
                }
            }
        }
    }

    public static TheoryData<PaymentStatus, PspNotificationKind> Contradictions => new()
    {
        { PaymentStatus.Declined, PspNotificationKind.Authorized },
        { PaymentStatus.Failed, PspNotificationKind.Authorized },
        { PaymentStatus.Reversed, PspNotificationKind.Captured },
        { PaymentStatus.Authorized, PspNotificationKind.Captured },
        { PaymentStatus.Captured, PspNotificationKind.Voided },
        { PaymentStatus.Authorized, PspNotificationKind.Declined },
        { PaymentStatus.Authorized, PspNotificationKind.Refunded },
        { PaymentStatus.Declined, PspNotificationKind.CaptureSettled },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void ANotificationThatContradictsASettledPaymentIsADiscrepancyAndChangesNothing(PaymentStatus status, PspNotificationKind kind)
    {
        var state = InStatus(status);

        var verdict = Judge(state, Notify(state, kind, amount: state.AmountMinor));

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
        Assert.Null(verdict.Settles);
        Assert.Contains(status.ToWire(), verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnApprovalForAnotherAmountDoesNotSettleThePendingAuthorisation()
    {
        var pending = Initiated(amount: 1_000);

        var verdict = Judge(pending, Notify(pending, PspNotificationKind.Authorized, amount: 1_001));

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
    }

    [Fact]
    public void ANotificationFromAnotherProviderOrForAnotherPspPaymentOrCurrencyIsADiscrepancy()
    {
        var authorized = Authorized();

        Assert.Equal(PspNotificationOutcome.Discrepancy, Judge(authorized, Notify(authorized, PspNotificationKind.Authorized, provider: "psp-z")).Outcome);
        Assert.Equal(PspNotificationOutcome.Discrepancy, Judge(authorized, Notify(authorized, PspNotificationKind.Authorized, pspReference: "other")).Outcome);
        Assert.Equal(PspNotificationOutcome.Discrepancy, Judge(authorized, Notify(authorized, PspNotificationKind.Authorized, currency: "USD")).Outcome);
    }

    [Fact]
    public void APendingCaptureIsSettledOnlyByACaptureOfItsAmount()
    {
        var pending = Accepted(PaymentDecider.StartCapture(Authorized(10_000), Capture(6_000), 2, T0.AddSeconds(2)));

        Assert.Equal(PspNotificationOutcome.Discrepancy, Judge(pending, Notify(pending, PspNotificationKind.Captured, amount: 10_000)).Outcome);
        Assert.Equal(PspNotificationOutcome.AlreadyReflected, Judge(pending, Notify(pending, PspNotificationKind.Authorized)).Outcome);
        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Captured, amount: 6_000)));

        Assert.Equal(PaymentStatus.Captured, settled.Status);
        Assert.Equal(6_000, settled.CapturedMinor);
    }

    [Fact]
    public void APendingVoidIsSettledByTheCancellation()
    {
        var pending = Accepted(PaymentDecider.StartVoid(Authorized(), Void(), 2, T0.AddSeconds(2)));

        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Voided)));

        Assert.Equal(PaymentStatus.Reversed, settled.Status);
    }

    [Fact]
    public void APendingRefundIsSettledByItsRefundAndThatRefundAgainChangesNothing()
    {
        var once = Refunded(Captured(10_000), amount: 3_000, out _);
        var pending = Accepted(PaymentDecider.StartRefund(once, Refund(3_000, key: "key-refund-2"), NewId(50), RefundsMax, once.Version, T0.AddMinutes(1)));

        // The first refund's notification, late: it is not the pending one, and the payment already has it.
        var late = Judge(pending, Notify(pending, PspNotificationKind.Refunded, amount: 3_000, operationReference: once.Refunds[0].PspReference));
        var settled = Apply(pending, Judge(pending, Notify(pending, PspNotificationKind.Refunded, amount: 3_000, operationReference: "re_second")));

        Assert.Equal(PspNotificationOutcome.AlreadyReflected, late.Outcome);
        Assert.Equal(6_000, settled.RefundedMinor);
        Assert.Equal("re_second", settled.Refunds[^1].PspReference);
        Assert.Equal(PspNotificationOutcome.AlreadyReflected,
            Judge(settled, Notify(settled, PspNotificationKind.Refunded, amount: 3_000, operationReference: "re_second")).Outcome);
        Assert.Equal(PspNotificationOutcome.Discrepancy,
            Judge(settled, Notify(settled, PspNotificationKind.Refunded, amount: 3_000, operationReference: "re_never")).Outcome);
    }

    [Fact]
    public void ASettledCaptureIsRecordedForReconciliationWithoutChangingThePayment()
    {
        var captured = Captured(10_000);

        var verdict = Judge(captured, Notify(captured, PspNotificationKind.CaptureSettled, amount: 10_000));

        Assert.Equal(PspNotificationOutcome.Recorded, verdict.Outcome);
        Assert.Null(verdict.Settles);
    }

    /// <summary>Judged a minute after the notification; a dispute it opens gets a fresh id.</summary>
    internal static NotificationVerdict Judge(PaymentState state, PspNotification n) =>
        NotificationRules.Judge(state, n, T0.AddMinutes(2), Guid.CreateVersion7(T0.AddMinutes(2)));
}
