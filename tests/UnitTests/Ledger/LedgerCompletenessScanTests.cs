using Payments.Actors.Grains;
using Payments.Actors.Grains.Ledger;
using Xunit;

namespace Payments.Actors.UnitTests.Ledger;

/// <summary>The completeness check's decision: where the watermark may move, and which unbooked events are re-driven when.</summary>
public sealed class LedgerCompletenessScanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static MoneyEventRow Row(long seq, bool booked, string status = "PUBLISHED", TimeSpan? publishedAgo = null, int redrives = 0) =>
        new(seq, Guid.CreateVersion7(), status, Now - TimeSpan.FromMinutes(30), status == "PUBLISHED" ? Now - (publishedAgo ?? TimeSpan.FromMinutes(10)) : null,
            redrives, booked);

    [Fact]
    public void TheWatermarkMovesOverBookedEventsAndStopsBeforeTheFirstUnbookedOne()
    {
        var verdict = LedgerCompletenessScan.Decide(10, [Row(11, true), Row(15, true), Row(16, false), Row(20, true)], Now, Grace, 10, redriveAll: false);

        Assert.Equal(15, verdict.Watermark);
        Assert.Equal(1, verdict.Unbooked);
        Assert.Equal(TimeSpan.FromMinutes(30), verdict.OldestUnbooked);
    }

    [Fact]
    public void AnUnbookedEventIsReDrivenOnlyOnceItsGraceHasPassedAndEachReDriveDoublesIt()
    {
        var young = Row(1, false, publishedAgo: TimeSpan.FromMinutes(1));
        var due = Row(2, false, publishedAgo: TimeSpan.FromMinutes(3));
        var redrivenOnceNotYetDue = Row(3, false, publishedAgo: TimeSpan.FromMinutes(3), redrives: 1);
        var redrivenOnceDue = Row(4, false, publishedAgo: TimeSpan.FromMinutes(5), redrives: 1);

        var verdict = LedgerCompletenessScan.Decide(0, [young, due, redrivenOnceNotYetDue, redrivenOnceDue], Now, Grace, 10, redriveAll: false);

        Assert.Equal([due.Id, redrivenOnceDue.Id], verdict.Redrive);
        Assert.Equal(0, verdict.Watermark);
    }

    [Fact]
    public void AfterABrokerLossEveryPublishedUnbookedEventIsReDrivenAtOnceButNotOnesThatAreNotPublishedOrExhausted()
    {
        var young = Row(1, false, publishedAgo: TimeSpan.FromSeconds(1));
        var unpublished = Row(2, false, status: "NEW");
        var parked = Row(3, false, status: "PARKED");
        var exhausted = Row(4, false, redrives: 10);

        var verdict = LedgerCompletenessScan.Decide(0, [young, unpublished, parked, exhausted], Now, Grace, 10, redriveAll: true);

        Assert.Equal([young.Id], verdict.Redrive);
        Assert.Equal((4, 1), (verdict.Unbooked, verdict.Exhausted));
    }

    [Fact]
    public void RowsOutOfCommitOrderAreABug()
    {
        Assert.Throws<InvariantViolationException>(() => LedgerCompletenessScan.Decide(5, [Row(7, true), Row(6, true)], Now, Grace, 10, redriveAll: false));
    }
}
