using Xunit;
using System.Net;
using System.Text;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;

namespace Payments.Actors.UnitTests.Psp;

public sealed class PspBConnectorNormaliseTests
{
    private static PspResult Authorise(HttpStatusCode status, string json) =>
        PspBConnector.Normalise(status, Encoding.UTF8.GetBytes(json), PspOperation.Authorize, "req-1");

    [Theory]
    [InlineData("05", "DO_NOT_HONOR")]
    [InlineData("51", "INSUFFICIENT_FUNDS")]
    [InlineData("54", "EXPIRED_CARD")]
    [InlineData("61", "AMOUNT_LIMIT_EXCEEDED")]
    [InlineData("91", "ISSUER_UNAVAILABLE")]
    public void RefusalCodesBecomeADeclineWithTheNormalisedCode(string responseCode, string declineCode)
    {
        var result = Authorise(HttpStatusCode.OK, $$"""{"txnId":"B1","responseCode":"{{responseCode}}","state":"REFUSED"}""");

        Assert.Equal((PspOutcome.Declined, declineCode, "B1"), (result.Outcome, result.DeclineCode, result.PspReference));
    }

    [Theory]
    [InlineData("AUTHORISED")]
    [InlineData("SETTLED")]
    public void ApprovalIsApprovedWithTheTransactionId(string state)
    {
        var result = Authorise(HttpStatusCode.OK, $$"""{"txnId":"B7","responseCode":"00","state":"{{state}}"}""");

        Assert.Equal((PspOutcome.Approved, "B7"), (result.Outcome, result.PspReference));
    }

    [Fact]
    public void SystemMalfunctionIsUnknownNeverAFailure()
    {
        Assert.Equal(PspOutcome.Unknown, Authorise(HttpStatusCode.InternalServerError, """{"responseCode":"96"}""").Outcome);
        Assert.Equal(PspOutcome.Unknown, Authorise(HttpStatusCode.ServiceUnavailable, "not json").Outcome);
    }

    [Fact]
    public void AnInvalidCardIsARejectionThatChargedNothing()
    {
        var result = Authorise(HttpStatusCode.BadRequest, """{"responseCode":"14"}""");

        Assert.Equal((PspOutcome.Rejected, "INVALID_CARD"), (result.Outcome, result.DeclineCode));
        Assert.False(PspErrorCodes.AllowsFailover(result));
    }

    [Fact]
    public void AFollowUpInTheWrongStateIsRejected()
    {
        var result = PspBConnector.Normalise(HttpStatusCode.OK, """{"txnId":"B1","responseCode":"12","state":"REVERSED"}"""u8, PspOperation.Capture, "req-2");

        Assert.Equal((PspOutcome.Rejected, "INVALID_TRANSACTION"), (result.Outcome, result.DeclineCode));
    }

    [Fact]
    public void ACreditIsIdentifiedByTheTransactionAndOurRequestId()
    {
        var result = PspBConnector.Normalise(HttpStatusCode.OK, """{"txnId":"B1","responseCode":"00","state":"SETTLED"}"""u8, PspOperation.Refund, "req-3");

        Assert.Equal((PspOutcome.Approved, "B1:req-3"), (result.Outcome, result.OperationReference));
    }
}
