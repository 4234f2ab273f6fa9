using Payments.Actors.Grains.Reconciliation;
using Payments.Actors.Reconciliation;
using Xunit;

namespace Payments.Actors.UnitTests.Reconciliation;

/// <summary>A break is acknowledged once, closed once with a reason, and never changes after that.</summary>
public sealed class BreakLifecycleTests
{
    [Theory]
    [InlineData("open", "acknowledge", null, "acknowledged")]
    [InlineData("open", "resolve", "fixed", "resolved")]
    [InlineData("open", "write_off", "small", "written_off")]
    [InlineData("acknowledged", "resolve", "fixed", "resolved")]
    [InlineData("acknowledged", "write_off", "small", "written_off")]
    public void AnOpenOrAcknowledgedBreakMovesOn(string status, string action, string? reason, string next) =>
        Assert.Equal((next, (string?)null), BreakLifecycle.Decide(status, action, reason));

    [Theory]
    [InlineData("acknowledged", "acknowledge", null, "already acknowledged")]
    [InlineData("open", "resolve", null, "only with a reason")]
    [InlineData("open", "write_off", "  ", "only with a reason")]
    [InlineData("resolved", "write_off", "again", "already resolved")]
    [InlineData("written_off", "acknowledge", null, "already written_off")]
    [InlineData("open", "reopen", null, "not an action")]
    public void AnythingElseIsRefusedWithItsReason(string status, string action, string? reason, string refusal)
    {
        var (next, why) = BreakLifecycle.Decide(status, action, reason);

        Assert.Null(next);
        Assert.Contains(refusal, why, StringComparison.Ordinal);
    }

    [Fact]
    public void AReasonLongerThanTheLimitIsRefused() =>
        Assert.Null(BreakLifecycle.Decide(BreakStatuses.Open, BreakActions.Resolve, new string('r', BreakActions.ReasonLengthMax + 1)).Next);
}
