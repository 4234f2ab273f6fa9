using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>The saga's accepted transitions: what each one writes and which events it emits.</summary>
public sealed class PaymentDeciderTests
{
    [Fact]
    public void AuthOnlyCreateIsInitiatedWithAPendingAuthorisation()
    {
        var id = NewId();

        var decision = PaymentDecider.StartCreate(id, CreateCommand(amount: 10_000, capture: false), PspName, T0);

        Assert.False(decision.IsRejected);
        var state = decision.NewState!;
        Assert.Equal(PaymentStatus.Initiated, state.Status);
        Assert.Equal(10_000, state.AmountMinor);
        Assert.Equal(0, state.AuthorizedMinor);
        Assert.Equal(0, state.CapturedMinor);
        Assert.Equal(0, state.RefundedMinor);
        Assert.False(state.Capture);
        Assert.Equal(1, state.Version);
        Assert.Equal(T0, state.CreatedAt);
        Assert.Equal(PspName, state.Psp);
        Assert.Equal("visa", state.CardBrand);
        Assert.Equal("4242", state.CardLast4);
        Assert.Equal("key-create", state.IdempotencyKey);
        Assert.Equal("fp-create", state.Fingerprint);
        Assert.NotNull(state.Pending);
        Assert.Equal(PspOperation.Authorize, state.Pending.Operation);
        Assert.Equal(10_000, state.Pending.AmountMinor);
        Assert.Equal("key-create", state.Pending.IdempotencyKey);
        Assert.Equal($"{id:N}-authorize-0", state.Pending.RequestId);
        var initiated = Assert.Single(decision.Events);
        Assert.Equal(new PaymentEvent(PaymentEventTypes.Initiated, 10_000), initiated);
    }

    [Fact]
    public void CreateRequestIdIsTheSameEveryTimeForTheSamePaymentAndDiffersBetweenPayments()
    {
        var id = NewId(1);

        var first = PaymentDecider.StartCreate(id, CreateCommand(), PspName, T0).NewState!.Pending!.RequestId;
        var again = PaymentDecider.StartCreate(id, CreateCommand(), PspName, T0.AddMinutes(5)).NewState!.Pending!.RequestId;
        var other = PaymentDecider.StartCreate(NewId(2), CreateCommand(), PspName, T0).NewState!.Pending!.RequestId;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void RequestIdNamesThePaymentTheOperationAndItsIndex()
    {
        var id = Guid.Parse("01958f4c-1a2b-7c3d-8e4f-5a6b7c8d9e0f");

        Assert.Equal("01958f4c1a2b7c3d8e4f5a6b7c8d9e0f-capture-5", PaymentDecider.RequestIdOf(id, PspOperation.Capture, 5));
        Assert.NotEqual(PaymentDecider.RequestIdOf(id, PspOperation.Refund, 5), PaymentDecider.RequestIdOf(id, PspOperation.Refund, 6));
        Assert.NotEqual(PaymentDecider.RequestIdOf(id, PspOperation.Void, 5), PaymentDecider.RequestIdOf(id, PspOperation.Capture, 5));
    }

    [Fact]
    public void CreatedStateNeverHoldsTheCardNumberOrCvc()
    {
        // A fixed id, so that no random hex digit in it can happen to spell the CVC.
        var state = Initiated(id: Guid.Parse("01958f4c-1a2b-7c3d-8e4f-5a6b7c8d9e0f"));

        var printed = state.ToString() + state.ToSnapshot();

        Assert.DoesNotContain(CardNumber, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(CardNumber[..12], printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Cvc, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateWithANonPositiveAmountBreaksAnInvariant()
    {
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.StartCreate(NewId(), CreateCommand(amount: 0), PspName, T0));
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.StartCreate(NewId(), CreateCommand(amount: -1), PspName, T0));
    }

    [Fact]
    public void ApprovedAuthorisationIsAuthorizedForTheWholeAmount()
    {
        var initiated = Initiated(amount: 10_000);
        var now = T0.AddSeconds(1);

        var decision = PaymentDecider.Complete(initiated, Approved("psp_ref_A"), now);

        Assert.False(decision.IsRejected);
        var state = decision.NewState!;
        Assert.Equal(PaymentStatus.Authorized, state.Status);
        Assert.Equal(10_000, state.AuthorizedMinor);
        Assert.Equal(0, state.CapturedMinor);
        Assert.Equal("psp_ref_A", state.PspReference);
        Assert.Null(state.Pending);
        Assert.Equal(initiated.Version + 1, state.Version);
        Assert.Equal(now, state.UpdatedAt);
        Assert.Equal(initiated.CreatedAt, state.CreatedAt);
        var authorized = Assert.Single(decision.Events);
        Assert.Equal(new PaymentEvent(PaymentEventTypes.Authorized, 10_000), authorized);
    }

    [Fact]
    public void ApprovedAutoCaptureIsCapturedWithAuthorizedAndCapturedEvents()
    {
        var initiated = Initiated(amount: 2_500, capture: true);

        var decision = PaymentDecider.Complete(initiated, Approved(), T0.AddSeconds(1));

        var state = decision.NewState!;
        Assert.Equal(PaymentStatus.Captured, state.Status);
        Assert.Equal(2_500, state.AuthorizedMinor);
        Assert.Equal(2_500, state.CapturedMinor);
        Assert.Null(state.Pending);
        Assert.Equal(
            [new PaymentEvent(PaymentEventTypes.Authorized, 2_500), new PaymentEvent(PaymentEventTypes.Captured, 2_500)],
            decision.Events);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeclinedAuthorisationIsDeclinedWithTheDeclineCodeAndNothingAuthorized(bool capture)
    {
        var decision = PaymentDecider.Complete(Initiated(capture: capture), Declined("do_not_honor"), T0.AddSeconds(1));

        var state = decision.NewState!;
        Assert.False(decision.IsRejected);
        Assert.Equal(PaymentStatus.Declined, state.Status);
        Assert.Equal("do_not_honor", state.DeclineCode);
        Assert.Equal(0, state.AuthorizedMinor);
        Assert.Equal(0, state.CapturedMinor);
        Assert.Null(state.Pending);
        Assert.Equal([new PaymentEvent(PaymentEventTypes.Declined, 10_000)], decision.Events);
    }

    [Fact]
    public void DeclineWithoutACodeIsRecordedAsDeclined()
    {
        var state = PaymentDecider.Complete(Initiated(), Declined(code: null), T0.AddSeconds(1)).NewState!;

        Assert.Equal(PaymentStatus.Declined, state.Status);
        Assert.Equal("DECLINED", state.DeclineCode);
    }

    [Theory]
    [InlineData(PspOutcome.Rejected, "connection refused", "connection refused")]
    [InlineData(PspOutcome.Rejected, null, "PSP_REJECTED")]
    [InlineData(PspOutcome.NotFound, "ignored message", "NOT_PROCESSED_BY_PSP")]
    public void RejectedOrNotFoundAuthorisationIsFailedWithAReason(PspOutcome outcome, string? message, string reason)
    {
        var decision = PaymentDecider.Complete(Initiated(), new PspResult(outcome, null, null, message), T0.AddSeconds(1));

        var state = decision.NewState!;
        Assert.False(decision.IsRejected);
        Assert.Equal(PaymentStatus.Failed, state.Status);
        Assert.Equal(reason, state.FailureReason);
        Assert.Null(state.DeclineCode);
        Assert.Equal(0, state.AuthorizedMinor);
        Assert.Null(state.Pending);
        Assert.Equal([new PaymentEvent(PaymentEventTypes.Failed, 10_000)], decision.Events);
    }

    [Theory]
    [InlineData(PaymentStatus.Initiated)]
    [InlineData(PaymentStatus.Authorized)]
    [InlineData(PaymentStatus.Captured)]
    public void UnknownOutcomeIsUnchangedAndKeepsTheOperationPending(PaymentStatus status)
    {
        var pending = status switch
        {
            PaymentStatus.Initiated => Initiated(),
            PaymentStatus.Authorized => Accepted(PaymentDecider.StartCapture(Authorized(), Capture(), 2, T0.AddSeconds(2))),
            _ => Accepted(PaymentDecider.StartRefund(Captured(), Refund(), NewId(9), RefundsMax, 4, T0.AddSeconds(4))),
        };

        var decision = PaymentDecider.Complete(pending, Unknown(), T0.AddSeconds(30));

        Assert.Same(Decision.Unchanged, decision);
        Assert.Null(decision.NewState);
        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void CompletingWithNothingPendingBreaksAnInvariant()
    {
        var authorized = Authorized();

        Assert.Throws<InvariantViolationException>(() => PaymentDecider.Complete(authorized, Approved(), T0.AddSeconds(5)));
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.Complete(authorized, Unknown(), T0.AddSeconds(5)));
    }

    [Fact]
    public void FullCaptureWithoutAnAmountCapturesTheWholeAuthorisation()
    {
        var authorized = Authorized(amount: 7_000);
        var now = T0.AddSeconds(2);

        var started = PaymentDecider.StartCapture(authorized, Capture(amount: null), authorized.Version, now);

        var pendingState = started.NewState!;
        Assert.Empty(started.Events);
        Assert.Equal(PaymentStatus.Authorized, pendingState.Status);
        Assert.Equal(0, pendingState.CapturedMinor);
        Assert.Equal(PspOperation.Capture, pendingState.Pending!.Operation);
        Assert.Equal(7_000, pendingState.Pending.AmountMinor);
        Assert.Equal("key-capture", pendingState.Pending.IdempotencyKey);
        Assert.Equal(PaymentDecider.RequestIdOf(authorized.Id, PspOperation.Capture, authorized.Version), pendingState.Pending.RequestId);
        Assert.Equal(now, pendingState.Pending.StartedAt);

        var completed = PaymentDecider.Complete(pendingState, Approved(), now.AddSeconds(1));

        Assert.Equal(PaymentStatus.Captured, completed.NewState!.Status);
        Assert.Equal(7_000, completed.NewState.CapturedMinor);
        Assert.Equal(7_000, completed.NewState.AuthorizedMinor);
        Assert.Equal([new PaymentEvent(PaymentEventTypes.Captured, 7_000)], completed.Events);
    }

    [Fact]
    public void PartialCaptureCapturesOnlyTheAmountAsked()
    {
        var state = Captured(amount: 10_000, captureAmount: 6_000);

        Assert.Equal(PaymentStatus.Captured, state.Status);
        Assert.Equal(10_000, state.AuthorizedMinor);
        Assert.Equal(6_000, state.CapturedMinor);
        Assert.Equal(0, state.RefundedMinor);
    }

    [Fact]
    public void CaptureOfExactlyTheAuthorisedAmountIsAccepted()
    {
        var decision = PaymentDecider.StartCapture(Authorized(amount: 500), Capture(amount: 500), 2, T0);

        Assert.False(decision.IsRejected);
        Assert.Equal(500, decision.NewState!.Pending!.AmountMinor);
    }

    [Fact]
    public void VoidReversesTheAuthorisationAndCapturesNothing()
    {
        var authorized = Authorized(amount: 4_200);

        var started = PaymentDecider.StartVoid(authorized, Void(), authorized.Version, T0.AddSeconds(2));

        Assert.Equal(PspOperation.Void, started.NewState!.Pending!.Operation);
        Assert.Equal(4_200, started.NewState.Pending.AmountMinor);
        Assert.Empty(started.Events);

        var completed = PaymentDecider.Complete(started.NewState, Approved(), T0.AddSeconds(3));

        var state = completed.NewState!;
        Assert.Equal(PaymentStatus.Reversed, state.Status);
        Assert.Equal(0, state.CapturedMinor);
        Assert.Equal(4_200, state.AuthorizedMinor);
        Assert.Null(state.Pending);
        Assert.Equal([new PaymentEvent(PaymentEventTypes.Voided, 4_200)], completed.Events);
    }

    [Fact]
    public void PartialRefundKeepsThePaymentCapturedAndRecordsTheRefund()
    {
        var captured = Captured(amount: 10_000);

        var state = Refunded(captured, amount: 3_000, out var refundId);

        Assert.Equal(PaymentStatus.Captured, state.Status);
        Assert.Equal(10_000, state.CapturedMinor);
        Assert.Equal(3_000, state.RefundedMinor);
        var refund = Assert.Single(state.Refunds);
        Assert.Equal(refundId, refund.Id);
        Assert.Equal(3_000, refund.AmountMinor);
        Assert.Equal(RefundStatuses.Succeeded, refund.Status);
        Assert.Equal("customer asked", refund.Reason);
        Assert.Equal($"re_{captured.Version}", refund.PspReference);
    }

    [Fact]
    public void RefundEmitsARefundedEventCarryingTheRefundId()
    {
        var captured = Captured();
        var refundId = NewId(42);
        var pending = Accepted(PaymentDecider.StartRefund(captured, Refund(1_234), refundId, RefundsMax, captured.Version, T0.AddSeconds(5)));

        Assert.Equal(refundId, pending.Pending!.RefundId);
        Assert.Equal("customer asked", pending.Pending.Reason);

        var decision = PaymentDecider.Complete(pending, Approved(), T0.AddSeconds(6));

        Assert.Equal([new PaymentEvent(PaymentEventTypes.Refunded, 1_234, refundId)], decision.Events);
    }

    [Fact]
    public void SeveralRefundsUpToTheCapturedAmountEndRefundedOnlyAtTheLast()
    {
        var state = Captured(amount: 10_000, captureAmount: 9_000);
        long[] amounts = [1_000, 2_500, 5_000, 500];
        var ids = new List<Guid>();

        for (var i = 0; i < amounts.Length; i++)
        {
            state = Refunded(state, amounts[i], out var refundId);
            ids.Add(refundId);
            var last = i == amounts.Length - 1;
            Assert.Equal(last ? PaymentStatus.Refunded : PaymentStatus.Captured, state.Status);
            Assert.Equal(amounts[..(i + 1)].Sum(), state.RefundedMinor);
        }

        Assert.Equal(9_000, state.RefundedMinor);
        Assert.Equal(9_000, state.CapturedMinor);
        Assert.Equal(amounts, state.Refunds.Select(r => r.AmountMinor));
        Assert.Equal(ids, state.Refunds.Select(r => r.Id));
    }

    [Fact]
    public void RefundWithoutAnAmountRefundsWhatRemainsAndEndsRefunded()
    {
        var captured = Refunded(Captured(amount: 10_000), amount: 3_000, out _);

        var started = PaymentDecider.StartRefund(captured, Refund(amount: null), NewId(7), RefundsMax, captured.Version, T0.AddSeconds(10));

        Assert.Equal(7_000, started.NewState!.Pending!.AmountMinor);

        var state = Accepted(PaymentDecider.Complete(started.NewState, Approved(), T0.AddSeconds(11)));

        Assert.Equal(PaymentStatus.Refunded, state.Status);
        Assert.Equal(10_000, state.RefundedMinor);
        Assert.Equal([3_000L, 7_000L], state.Refunds.Select(r => r.AmountMinor));
    }

    [Fact]
    public void RefundsAfterAPartialCaptureAreBoundedByTheCapturedAmountNotTheAuthorised()
    {
        var captured = Captured(amount: 10_000, captureAmount: 6_000);

        var refunded = Refunded(captured, amount: null, out _);

        Assert.Equal(PaymentStatus.Refunded, refunded.Status);
        Assert.Equal(6_000, refunded.RefundedMinor);
    }

    [Fact]
    public void EachAcceptedTransitionRaisesTheVersionByExactlyOne()
    {
        var versions = new List<int>();
        var state = Initiated(capture: false);
        versions.Add(state.Version);
        state = Accepted(PaymentDecider.Complete(state, Approved(), T0.AddSeconds(1)));
        versions.Add(state.Version);
        state = Accepted(PaymentDecider.StartCapture(state, Capture(8_000), state.Version, T0.AddSeconds(2)));
        versions.Add(state.Version);
        state = Accepted(PaymentDecider.Complete(state, Approved(), T0.AddSeconds(3)));
        versions.Add(state.Version);
        state = Accepted(PaymentDecider.StartRefund(state, Refund(1_000), NewId(1), RefundsMax, state.Version, T0.AddSeconds(4)));
        versions.Add(state.Version);
        var refused = PaymentDecider.Complete(state, Declined(), T0.AddSeconds(5)).NewState!;
        versions.Add(refused.Version);
        state = Accepted(PaymentDecider.StartRefund(refused, Refund(8_000), NewId(2), RefundsMax, refused.Version, T0.AddSeconds(6)));
        versions.Add(state.Version);
        state = Accepted(PaymentDecider.Complete(state, Approved(), T0.AddSeconds(7)));
        versions.Add(state.Version);

        Assert.Equal(PaymentStatus.Refunded, state.Status);
        Assert.Equal(Enumerable.Range(1, 8), versions);
    }

    [Fact]
    public void RequestIdsOfSuccessiveOperationsIndexedByVersionNeverRepeat()
    {
        // The grain passes the state's version as the operation index; after a PSP refusal the retry must
        // get a new PSP idempotency key, or the PSP would replay the refusal.
        var authorized = Authorized();
        var first = Accepted(PaymentDecider.StartCapture(authorized, Capture(), authorized.Version, T0.AddSeconds(2)));
        var refused = PaymentDecider.Complete(first, Declined(), T0.AddSeconds(3)).NewState!;
        var retry = Accepted(PaymentDecider.StartCapture(refused, Capture(key: "key-capture-2"), refused.Version, T0.AddSeconds(4)));

        Assert.NotEqual(first.Pending!.RequestId, retry.Pending!.RequestId);
        Assert.NotEqual(Initiated(id: authorized.Id).Pending!.RequestId, first.Pending.RequestId);
    }
}
