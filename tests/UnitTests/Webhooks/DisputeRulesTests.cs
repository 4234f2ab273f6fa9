using Payments.Actors.Events;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Payments;
using Payments.Actors.Webhooks;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>Chargebacks: a dispute opens once per PSP id, closes once, withdraws and reinstates exactly its amount.</summary>
public sealed class DisputeRulesTests
{
    private static int _events;

    private static PspNotification Dispute(PaymentState payment, PspNotificationKind kind, long? amount = 4_000, string reference = "dp_1",
        string? outcome = null) =>
        new(Guid.NewGuid(), PspName, $"evt_{Interlocked.Increment(ref _events)}", kind, payment.Id, null, "psp_ref_1", reference,
            amount, payment.Currency, "fraudulent", outcome, T0.AddDays(7), T0.AddMinutes(1));

    private static PaymentState Changed(PaymentState state, NotificationVerdict verdict, params string[] eventTypes)
    {
        Assert.Equal(PspNotificationOutcome.Applied, verdict.Outcome);
        Assert.Null(verdict.Settles);
        var decision = verdict.Changes!;
        Assert.Equal(eventTypes, decision.Events.Select(e => e.Type));
        var next = decision.NewState!;
        Assert.Equal(state.Version + 1, next.Version);
        Assert.Equal((state.Status, state.CapturedMinor, state.RefundedMinor), (next.Status, next.CapturedMinor, next.RefundedMinor));
        return next;
    }

    [Fact]
    public void AChargebackOpensADisputeForItsAmountWithItsReasonAndDeadline()
    {
        var captured = Captured(10_000);

        var verdict = NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened));
        var disputed = Changed(captured, verdict, PaymentEventTypes.DisputeCreated);

        var dispute = Assert.Single(disputed.Disputes);
        Assert.Equal((4_000L, "EUR", DisputeStatuses.NeedsResponse, "fraudulent", "dp_1"),
            (dispute.AmountMinor, dispute.Currency, dispute.Status, dispute.Reason, dispute.PspReference));
        Assert.Equal(T0.AddDays(7), dispute.EvidenceDueBy);
        Assert.Null(dispute.ClosedAt);
        Assert.Equal(dispute.Id, verdict.Changes!.Events[0].DisputeId);
        Assert.Equal(4_000, verdict.Changes.Events[0].AmountMinor);
    }

    [Fact]
    public void TheSameChargebackNotifiedAgainOpensNothingNew()
    {
        var captured = Captured(10_000);
        var disputed = Changed(captured, NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened)),
            PaymentEventTypes.DisputeCreated);

        var again = NotificationRulesTests.Judge(disputed, Dispute(disputed, PspNotificationKind.DisputeOpened));

        Assert.Equal(PspNotificationOutcome.AlreadyReflected, again.Outcome);
        Assert.Null(again.Changes);
    }

    [Theory]
    [InlineData(DisputeStatuses.Won, PaymentEventTypes.DisputeWon)]
    [InlineData(DisputeStatuses.Lost, PaymentEventTypes.DisputeLost)]
    public void AnOpenDisputeClosesOnceWithThePspsOutcome(string outcome, string eventType)
    {
        var captured = Captured(10_000);
        var open = Changed(captured, NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened)),
            PaymentEventTypes.DisputeCreated);

        var closed = Changed(open, NotificationRulesTests.Judge(open, Dispute(open, PspNotificationKind.DisputeClosed, outcome: outcome)), eventType);

        var dispute = Assert.Single(closed.Disputes);
        Assert.Equal(outcome, dispute.Status);
        Assert.NotNull(dispute.ClosedAt);
        Assert.Equal(AlreadyReflected, NotificationRulesTests.Judge(closed, Dispute(closed, PspNotificationKind.DisputeClosed, outcome: outcome)).Outcome);
        Assert.Equal(AlreadyReflected, NotificationRulesTests.Judge(closed, Dispute(closed, PspNotificationKind.DisputeOpened)).Outcome);
        var other = outcome == DisputeStatuses.Won ? DisputeStatuses.Lost : DisputeStatuses.Won;
        Assert.Equal(PspNotificationOutcome.Discrepancy,
            NotificationRulesTests.Judge(closed, Dispute(closed, PspNotificationKind.DisputeClosed, outcome: other)).Outcome);
    }

    [Fact]
    public void ACloseThatArrivesBeforeItsOpenOpensAndClosesTheDisputeSoTheLateOpenIsADuplicate()
    {
        var captured = Captured(10_000);

        var closed = Changed(captured, NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeClosed, outcome: DisputeStatuses.Won)),
            PaymentEventTypes.DisputeCreated, PaymentEventTypes.DisputeWon);

        Assert.Equal(DisputeStatuses.Won, Assert.Single(closed.Disputes).Status);
        Assert.Equal(AlreadyReflected, NotificationRulesTests.Judge(closed, Dispute(closed, PspNotificationKind.DisputeOpened)).Outcome);
    }

    [Fact]
    public void ADisputeOfMoreThanWasCapturedOrOfAnUncapturedPaymentIsADiscrepancy()
    {
        var captured = Captured(10_000);
        var authorized = Authorized(10_000);

        Assert.Equal(PspNotificationOutcome.Discrepancy,
            NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened, amount: 10_001)).Outcome);
        Assert.Equal(PspNotificationOutcome.Discrepancy,
            NotificationRulesTests.Judge(authorized, Dispute(authorized, PspNotificationKind.DisputeOpened)).Outcome);
        var first = Changed(captured, NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened, amount: 7_000)),
            PaymentEventTypes.DisputeCreated);
        Assert.Equal(PspNotificationOutcome.Discrepancy,
            NotificationRulesTests.Judge(first, Dispute(first, PspNotificationKind.DisputeOpened, amount: 3_001, reference: "dp_2")).Outcome);
    }

    [Fact]
    public void ADisputedAmountCannotAlsoBeRefundedUntilTheMerchantWinsIt()
    {
        var captured = Captured(10_000);
        var open = Changed(captured, NotificationRulesTests.Judge(captured, Dispute(captured, PspNotificationKind.DisputeOpened, amount: 6_000)),
            PaymentEventTypes.DisputeCreated);

        var tooMuch = PaymentDecider.StartRefund(open, Refund(4_001), Guid.CreateVersion7(), RefundsMax, open.Version, T0.AddMinutes(5));
        var won = Changed(open, NotificationRulesTests.Judge(open, Dispute(open, PspNotificationKind.DisputeClosed, outcome: DisputeStatuses.Won)),
            PaymentEventTypes.DisputeWon);
        var afterWin = PaymentDecider.StartRefund(won, Refund(10_000), Guid.CreateVersion7(), RefundsMax, won.Version, T0.AddMinutes(5));

        Assert.Equal(PaymentResultCode.AmountExceedsRefundable, tooMuch.Rejection);
        Assert.Contains("disputed 6000", tooMuch.Message, StringComparison.Ordinal);
        Assert.False(afterWin.IsRejected);
    }

    private const PspNotificationOutcome AlreadyReflected = PspNotificationOutcome.AlreadyReflected;
}
