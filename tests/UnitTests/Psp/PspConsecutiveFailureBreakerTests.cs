using Microsoft.Extensions.Time.Testing;
using Payments.Actors.Grains.Psp;
using Xunit;
using State = Payments.Actors.Grains.Psp.PspConsecutiveFailureBreaker.State;

namespace Payments.Actors.UnitTests.Psp;

/// <summary>The "N failures in a row" rule on a fake clock: transitions, the single probe, and the races it must survive.</summary>
public sealed class PspConsecutiveFailureBreakerTests
{
    private const int Threshold = 3;
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new();

    private PspConsecutiveFailureBreaker Breaker() => new(_time);

    private static PspConsecutiveFailureBreaker.Ticket Enter(PspConsecutiveFailureBreaker breaker)
    {
        Assert.True(breaker.TryEnter(Break, out var ticket));
        return ticket;
    }

    private static State? Fail(PspConsecutiveFailureBreaker breaker, PspConsecutiveFailureBreaker.Ticket ticket) => breaker.Record(ticket, failed: true, Threshold, Break);

    private static State? Succeed(PspConsecutiveFailureBreaker breaker, PspConsecutiveFailureBreaker.Ticket ticket) => breaker.Record(ticket, failed: false, Threshold, Break);

    [Fact]
    public void ThresholdFailuresInARowOpenItAndASuccessInBetweenStartsTheCountAgain()
    {
        var breaker = Breaker();
        Fail(breaker, Enter(breaker));
        Fail(breaker, Enter(breaker));
        Succeed(breaker, Enter(breaker));
        Assert.Null(Fail(breaker, Enter(breaker)));
        Assert.Null(Fail(breaker, Enter(breaker)));

        Assert.Equal(State.Open, Fail(breaker, Enter(breaker)));
        Assert.Equal(State.Open, breaker.Current);
        Assert.False(breaker.TryEnter(Break, out _));
    }

    [Fact]
    public void AfterTheBreakExactlyOneProbeGoesThroughAndItsSuccessCloses()
    {
        var breaker = Breaker();
        breaker.Trip(Break);
        _time.Advance(Break - TimeSpan.FromMilliseconds(1));
        Assert.False(breaker.TryEnter(Break, out _));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(State.HalfOpen, breaker.Current);
        var probe = Enter(breaker);
        Assert.True(probe.IsProbe);
        Assert.False(breaker.TryEnter(Break, out _));

        Assert.Equal(State.Closed, Succeed(breaker, probe));
        Assert.False(Enter(breaker).IsProbe);
    }

    [Fact]
    public void AFailedProbeOpensItForAnotherFullBreak()
    {
        var breaker = Breaker();
        breaker.Trip(Break);
        _time.Advance(Break);

        Assert.Equal(State.Open, Fail(breaker, Enter(breaker)));
        _time.Advance(Break - TimeSpan.FromSeconds(1));
        Assert.False(breaker.TryEnter(Break, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Enter(breaker).IsProbe);
    }

    [Fact]
    public void ASlowSuccessThatStartedBeforeTheBreakerOpenedNeitherClosesItNorResetsTheCount()
    {
        var breaker = Breaker();
        var slow = Enter(breaker);
        for (var i = 0; i < Threshold; i++)
        {
            Fail(breaker, Enter(breaker));
        }

        Assert.Null(Succeed(breaker, slow));
        Assert.Equal(State.Open, breaker.Current);

        _time.Advance(Break);
        var probe = Enter(breaker);
        Assert.Null(Succeed(breaker, slow));
        Assert.False(breaker.TryEnter(Break, out _));
        Assert.Equal(State.Open, Fail(breaker, probe));
    }

    [Fact]
    public void ASlowFailureThatStartedBeforeTheProbeSucceededDoesNotReopenIt()
    {
        var breaker = Breaker();
        breaker.Trip(Break);
        _time.Advance(Break);
        var probe = Enter(breaker);
        Succeed(breaker, probe);

        Assert.Null(Fail(breaker, probe));
        Assert.Equal(State.Closed, breaker.Current);
        Assert.Equal(0, breaker.ConsecutiveFailures);
    }

    [Fact]
    public void AProbeThatNeverReportsIsReplacedAfterOneBreakAndItsLateAnswerIsIgnored()
    {
        var breaker = Breaker();
        breaker.Trip(Break);
        _time.Advance(Break);
        var lost = Enter(breaker);
        _time.Advance(Break);

        var replacement = Enter(breaker);
        Assert.True(replacement.IsProbe);
        Assert.Null(Fail(breaker, lost));
        Assert.Equal(State.Closed, Succeed(breaker, replacement));
    }

    [Fact]
    public void AReleasedProbeFreesTheSlotForTheNextCall()
    {
        var breaker = Breaker();
        breaker.Trip(Break);
        _time.Advance(Break);
        var refusedFurtherIn = Enter(breaker);

        breaker.Release(refusedFurtherIn);

        Assert.True(Enter(breaker).IsProbe);
    }

    [Fact]
    public async Task ConcurrentFailuresOpenItOnceAndNothingIsAdmittedAfterwards()
    {
        var breaker = Breaker();
        var opened = 0;
        var tickets = Enumerable.Range(0, 64).Select(_ => Enter(breaker)).ToArray();

        await Task.WhenAll(tickets.Select(ticket => Task.Run(() =>
        {
            if (Fail(breaker, ticket) == State.Open)
            {
                Interlocked.Increment(ref opened);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(1, opened);
        Assert.False(breaker.TryEnter(Break, out _));
    }
}
