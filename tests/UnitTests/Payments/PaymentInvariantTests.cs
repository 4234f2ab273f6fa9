using System.Collections.Immutable;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>Terminal states are terminal, and <see cref="PaymentState.AssertInvariants"/> catches every broken money rule.</summary>
public sealed class PaymentInvariantTests
{
    private static readonly PaymentStatus[] TerminalStates =
        [PaymentStatus.Declined, PaymentStatus.Failed, PaymentStatus.Refunded, PaymentStatus.Reversed];

    public static TheoryData<PaymentStatus, FollowUp> TerminalByFollowUp()
    {
        var data = new TheoryData<PaymentStatus, FollowUp>();
        foreach (var status in TerminalStates)
        {
            foreach (var followUp in Enum.GetValues<FollowUp>())
            {
                data.Add(status, followUp);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TerminalByFollowUp))]
    public void TerminalStateRefusesEveryFollowUpAsInvalidState(PaymentStatus status, FollowUp followUp)
    {
        var terminal = InStatus(status);
        Assert.Equal(status, terminal.Status);
        Assert.True(terminal.Status.IsTerminal());

        var decision = Start(terminal, followUp, T0.AddHours(1));

        Assert.True(decision.IsRejected);
        Assert.Equal(PaymentResultCode.InvalidState, decision.Rejection);
        Assert.Null(decision.NewState);
        Assert.Empty(decision.Events);
        Assert.Contains(status.ToWire(), decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PaymentStatus.Declined)]
    [InlineData(PaymentStatus.Failed)]
    [InlineData(PaymentStatus.Refunded)]
    [InlineData(PaymentStatus.Reversed)]
    public void TerminalStateCannotBeCompletedByALatePspAnswer(PaymentStatus status)
    {
        var terminal = InStatus(status);

        Assert.Null(terminal.Pending);
        Assert.Throws<InvariantViolationException>(() => PaymentDecider.Complete(terminal, Approved(), T0.AddHours(1)));
    }

    [Theory]
    [InlineData(PaymentStatus.Initiated, false)]
    [InlineData(PaymentStatus.Authorized, false)]
    [InlineData(PaymentStatus.Captured, false)]
    [InlineData(PaymentStatus.Declined, true)]
    [InlineData(PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.Refunded, true)]
    [InlineData(PaymentStatus.Reversed, true)]
    public void OnlyDeclinedFailedRefundedAndReversedAreTerminal(PaymentStatus status, bool terminal) =>
        Assert.Equal(terminal, status.IsTerminal());

    [Theory]
    [InlineData(PaymentStatus.Initiated)]
    [InlineData(PaymentStatus.Authorized)]
    [InlineData(PaymentStatus.Captured)]
    [InlineData(PaymentStatus.Declined)]
    [InlineData(PaymentStatus.Failed)]
    [InlineData(PaymentStatus.Refunded)]
    [InlineData(PaymentStatus.Reversed)]
    public void EveryReachableStateSatisfiesTheInvariantsAndRoundTripsItsWireName(PaymentStatus status)
    {
        var state = InStatus(status);

        state.AssertInvariants();
        Assert.Equal(status, PaymentStatusExtensions.FromWire(status.ToWire()));
    }

    /// <summary>Hand-built states that no transition may produce; each name says which rule it breaks.</summary>
    private static PaymentState Broken(string rule)
    {
        var captured = Captured(amount: 10_000, captureAmount: 8_000);
        var refund = new RefundSnapshot(NewId(3), 300, RefundStatuses.Succeeded, "re_1", null, T0);
        return rule switch
        {
            "captured above authorised" => captured with { CapturedMinor = 10_001, AuthorizedMinor = 10_000 },
            "authorised above amount" => captured with { AuthorizedMinor = 10_001 },
            "refunded above captured" => captured with { RefundedMinor = 8_001, Refunds = [refund with { AmountMinor = 8_001 }] },
            "refunds not summing to refunded" => captured with { RefundedMinor = 500, Refunds = [refund] },
            "refunded without refund records" => captured with { RefundedMinor = 300, Refunds = ImmutableArray<RefundSnapshot>.Empty },
            "declined with a pending operation" => InStatus(PaymentStatus.Declined) with { Pending = Initiated().Pending },
            "reversed with a pending operation" => InStatus(PaymentStatus.Reversed) with { Pending = Initiated().Pending },
            "refunded with a pending operation" => InStatus(PaymentStatus.Refunded) with { Pending = Initiated().Pending },
            "refunded status below captured" => captured with { Status = PaymentStatus.Refunded, RefundedMinor = 300, Refunds = [refund] },
            "captured status with nothing captured" => Authorized() with { Status = PaymentStatus.Captured },
            "negative captured" => captured with { CapturedMinor = -1 },
            "negative refunded" => captured with { RefundedMinor = -300, Refunds = [refund with { AmountMinor = -300 }] },
            "zero amount" => Initiated() with { AmountMinor = 0 },
            "zero version" => captured with { Version = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }

    [Theory]
    [InlineData("captured above authorised")]
    [InlineData("authorised above amount")]
    [InlineData("refunded above captured")]
    [InlineData("refunds not summing to refunded")]
    [InlineData("refunded without refund records")]
    [InlineData("declined with a pending operation")]
    [InlineData("reversed with a pending operation")]
    [InlineData("refunded with a pending operation")]
    [InlineData("refunded status below captured")]
    [InlineData("captured status with nothing captured")]
    [InlineData("negative captured")]
    [InlineData("negative refunded")]
    [InlineData("zero amount")]
    [InlineData("zero version")]
    public void HandBuiltBadStateThrowsInvariantViolation(string rule)
    {
        var state = Broken(rule);

        var error = Assert.Throws<InvariantViolationException>(state.AssertInvariants);

        Assert.Contains(state.Id.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvariantMessageNamesTheOffendingAmounts()
    {
        var state = Broken("captured above authorised");

        var error = Assert.Throws<InvariantViolationException>(state.AssertInvariants);

        Assert.Contains("10001", error.Message, StringComparison.Ordinal);
        Assert.Contains("10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStartingPointOfTheBadStatesIsItselfValid()
    {
        // Guards the test above: each broken state differs from a valid one only in the rule it names.
        Captured(amount: 10_000, captureAmount: 8_000).AssertInvariants();
        Refunded(Captured(amount: 10_000, captureAmount: 8_000), amount: 300, out _).AssertInvariants();
    }

    [Fact]
    public void CompletingACaptureLargerThanTheAuthorisationThrowsRatherThanPersisting()
    {
        // A pending capture larger than the authorisation can only come from corrupt storage; Complete must
        // refuse to produce a state from it rather than write captured > authorised.
        var authorized = Authorized(amount: 1_000);
        var corrupt = authorized with
        {
            Pending = new PendingOperation(PspOperation.Capture, "req", 1_001, "key", null, null, T0),
            Version = authorized.Version + 1,
        };

        Assert.Throws<InvariantViolationException>(() => PaymentDecider.Complete(corrupt, Approved(), T0.AddSeconds(9)));
    }
}
