using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>
/// Random walks over many payments (seeded, so a failure replays exactly): random commands with random
/// amounts and random PSP outcomes. Every produced state is checked against the money invariants, every
/// decision against an independent statement of the rules, and the events against the amounts.
/// </summary>
public sealed class PaymentDeciderPropertyTests
{
    private const int StepsPerRun = 2_000;
    private const int LivePaymentsMax = 40;
    private const int RefundsLimit = 4;

    private sealed class Tracked(PaymentState state, IReadOnlyList<PaymentEvent> events)
    {
        public PaymentState State { get; set; } = state;

        public List<PaymentEvent> Events { get; } = [.. events];
    }

    private enum Command
    {
        Capture,
        Void,
        Refund,
    }

    [Theory]
    [InlineData(20250314)]
    [InlineData(7)]
    [InlineData(424242)]
    public void RandomCommandSequencesNeverBreakTheMoneyInvariants(int seed)
    {
        var random = new Random(seed);
        var payments = new List<Tracked>();
        var rejections = new HashSet<PaymentResultCode>();
        var statuses = new HashSet<PaymentStatus>();
        var now = T0;

        for (var step = 0; step < StepsPerRun; step++)
        {
            now = now.AddMilliseconds(random.Next(1, 1_000));
            if (payments.Count == 0 || (payments.Count < LivePaymentsMax && random.Next(10) == 0))
            {
                var amount = random.NextInt64(1, 1_000_000);
                var command = CreateCommand(amount, capture: random.Next(2) == 0);
                var created = PaymentDecider.StartCreate(UuidV7.New(now), command, PspName, now);
                var state = Accepted(created);
                AssertMoneyInvariants(state);
                Assert.Equal(1, state.Version);
                statuses.Add(state.Status);
                payments.Add(new Tracked(state, created.Events));
                continue;
            }

            var tracked = payments[random.Next(payments.Count)];
            var before = tracked.State;
            var decision = before.Pending is not null && random.Next(5) != 0
                ? CompleteRandomly(random, before, now)
                : StartRandomly(random, before, now);

            if (decision.Rejection is { } code)
            {
                rejections.Add(code);
            }

            if (decision.NewState is { } after)
            {
                AssertMoneyInvariants(after);
                Assert.Equal(before.Version + 1, after.Version);
                Assert.False(before.Status.IsTerminal(), $"Terminal {before.Status} changed to {after.Status} at step {step}.");
                Assert.True(after.AuthorizedMinor >= before.AuthorizedMinor, $"Authorised went down at step {step}.");
                Assert.True(after.CapturedMinor >= before.CapturedMinor, $"Captured went down at step {step}.");
                Assert.True(after.RefundedMinor >= before.RefundedMinor, $"Refunded went down at step {step}.");
                Assert.Equal(before.Id, after.Id);
                Assert.Equal(before.AmountMinor, after.AmountMinor);
                tracked.State = after;
                tracked.Events.AddRange(decision.Events);
                AssertEventsAddUp(tracked);
                statuses.Add(after.Status);
            }
            else
            {
                Assert.Empty(decision.Events);
            }

            if (payments.Count >= LivePaymentsMax && tracked.State.Status.IsTerminal())
            {
                payments.Remove(tracked);
            }
        }

        // The walk is only evidence if it went everywhere: every state and every kind of refusal was visited.
        Assert.Equal(Enum.GetValues<PaymentStatus>().ToHashSet(), statuses);
        PaymentResultCode[] expectedRefusals =
        [
            PaymentResultCode.InvalidState, PaymentResultCode.OperationInProgress, PaymentResultCode.AmountExceedsAuthorized,
            PaymentResultCode.AmountExceedsRefundable, PaymentResultCode.LimitExceeded, PaymentResultCode.PspRejected,
        ];
        Assert.Empty(expectedRefusals.Except(rejections));
    }

    private static Decision CompleteRandomly(Random random, PaymentState state, DateTimeOffset now)
    {
        var pending = state.Pending!;
        var outcome = random.Next(10) switch
        {
            < 5 => PspOutcome.Approved,
            5 => PspOutcome.Declined,
            6 => PspOutcome.Rejected,
            7 => PspOutcome.NotFound,
            _ => PspOutcome.Unknown,
        };
        var decision = PaymentDecider.Complete(state, new PspResult(outcome, "psp_ref", "code", "message", "op_ref"), now);

        if (outcome == PspOutcome.Unknown)
        {
            Assert.Same(Decision.Unchanged, decision);
            return decision;
        }

        var after = decision.NewState!;
        Assert.Null(after.Pending);
        var refused = outcome != PspOutcome.Approved && pending.Operation != PspOperation.Authorize;
        Assert.Equal(refused ? PaymentResultCode.PspRejected : (PaymentResultCode?)null, decision.Rejection);
        var expected = (pending.Operation, outcome) switch
        {
            (PspOperation.Authorize, PspOutcome.Approved) => state.Capture ? PaymentStatus.Captured : PaymentStatus.Authorized,
            (PspOperation.Authorize, PspOutcome.Declined) => PaymentStatus.Declined,
            (PspOperation.Authorize, _) => PaymentStatus.Failed,
            (PspOperation.Capture, PspOutcome.Approved) => PaymentStatus.Captured,
            (PspOperation.Void, PspOutcome.Approved) => PaymentStatus.Reversed,
            (PspOperation.Refund, PspOutcome.Approved) =>
                state.RefundedMinor + pending.AmountMinor == state.CapturedMinor ? PaymentStatus.Refunded : PaymentStatus.Captured,
            _ => state.Status,
        };
        Assert.Equal(expected, after.Status);
        if (refused)
        {
            Assert.Equal(state with { Pending = null, Version = state.Version + 1, UpdatedAt = now }, after);
        }

        return decision;
    }

    private static Decision StartRandomly(Random random, PaymentState state, DateTimeOffset now)
    {
        var command = (Command)random.Next(3);
        var refundable = state.CapturedMinor - state.RefundedMinor;
        long? amount = command switch
        {
            Command.Capture => random.Next(4) == 0 ? null : random.NextInt64(1, (state.AuthorizedMinor * 6 / 5) + 2),
            Command.Refund => random.Next(4) switch
            {
                0 => null,
                1 => random.NextInt64(1, (refundable * 6 / 5) + 2),
                _ => random.NextInt64(1, (refundable / 6) + 2),
            },
            _ => null,
        };

        var decision = command switch
        {
            Command.Capture => PaymentDecider.StartCapture(state, Capture(amount), state.Version, now),
            Command.Void => PaymentDecider.StartVoid(state, Void(), state.Version, now),
            _ => PaymentDecider.StartRefund(state, Refund(amount), UuidV7.New(now), RefundsLimit, state.Version, now),
        };

        Assert.Equal(ExpectedRejection(state, command, amount), decision.Rejection);
        Assert.Empty(decision.Events);
        if (decision.NewState is { } after)
        {
            var expectedAmount = command switch
            {
                Command.Capture => amount ?? state.AuthorizedMinor,
                Command.Void => state.AuthorizedMinor,
                _ => amount ?? refundable,
            };
            Assert.Equal(expectedAmount, after.Pending!.AmountMinor);
            Assert.Equal(state with { Pending = after.Pending, Version = state.Version + 1, UpdatedAt = now }, after);
        }
        else
        {
            Assert.NotNull(decision.Rejection);
        }

        return decision;
    }

    /// <summary>The rules, stated independently of the decider: busy first, then state, then amount, then limits.</summary>
    private static PaymentResultCode? ExpectedRejection(PaymentState state, Command command, long? amount)
    {
        if (state.Pending is not null)
        {
            return PaymentResultCode.OperationInProgress;
        }

        var required = command == Command.Refund ? PaymentStatus.Captured : PaymentStatus.Authorized;
        if (state.Status != required)
        {
            return PaymentResultCode.InvalidState;
        }

        return command switch
        {
            Command.Capture when amount > state.AuthorizedMinor => PaymentResultCode.AmountExceedsAuthorized,
            Command.Refund when amount > state.CapturedMinor - state.RefundedMinor => PaymentResultCode.AmountExceedsRefundable,
            Command.Refund when state.Refunds.Length >= RefundsLimit => PaymentResultCode.LimitExceeded,
            _ => null,
        };
    }

    private static void AssertMoneyInvariants(PaymentState state)
    {
        state.AssertInvariants();
        Assert.InRange(state.AuthorizedMinor, 0, state.AmountMinor);
        Assert.InRange(state.CapturedMinor, 0, state.AuthorizedMinor);
        Assert.InRange(state.RefundedMinor, 0, state.CapturedMinor);
        Assert.Equal(state.RefundedMinor, state.Refunds.Sum(r => r.AmountMinor));
        Assert.All(state.Refunds, r => Assert.True(r.AmountMinor > 0, $"Refund {r.Id} of {r.AmountMinor}."));
        Assert.True(state.Refunds.Length <= RefundsLimit);
        Assert.True(state.Pending is null || !state.Status.IsTerminal());
        Assert.Equal(state.Status == PaymentStatus.Refunded, state.CapturedMinor > 0 && state.RefundedMinor == state.CapturedMinor);
    }

    /// <summary>What the outbox says happened must agree with what the row says.</summary>
    private static void AssertEventsAddUp(Tracked tracked)
    {
        var state = tracked.State;
        long Sum(string type) => tracked.Events.Where(e => e.Type == type).Sum(e => e.AmountMinor);

        Assert.Single(tracked.Events, e => e.Type == PaymentEventTypes.Initiated);
        Assert.Equal(state.AuthorizedMinor, Sum(PaymentEventTypes.Authorized));
        Assert.Equal(state.CapturedMinor, Sum(PaymentEventTypes.Captured));
        Assert.Equal(state.RefundedMinor, Sum(PaymentEventTypes.Refunded));
        Assert.Equal(state.Refunds.Select(r => (Guid?)r.Id), tracked.Events.Where(e => e.Type == PaymentEventTypes.Refunded).Select(e => e.RefundId));
        Assert.Equal(state.Status == PaymentStatus.Reversed, tracked.Events.Any(e => e.Type == PaymentEventTypes.Voided));
        Assert.Equal(state.Status == PaymentStatus.Declined, tracked.Events.Any(e => e.Type == PaymentEventTypes.Declined));
        Assert.Equal(state.Status == PaymentStatus.Failed, tracked.Events.Any(e => e.Type == PaymentEventTypes.Failed));
    }
}
