using Xunit;
using System.Net;
using System.Text;
using Payments.Actors.Grains.Bank;
using Payments.Actors.Psp;

namespace Payments.Actors.UnitTests.Psp;

public sealed class BankConnectorNormaliseTests
{
    private static PspResult Normalise(HttpStatusCode status, string json) => BankConnector.Normalise(status, Encoding.UTF8.GetBytes(json));

    private static string Transfer(string state, string? reason = null) =>
        $$$"""{"bank_transfer_id":"BT1","transfer_ref":"r1","direction":"CREDIT","state":"{{{state}}}","reason_code":{{{(reason is null ? "null" : $"\"{reason}\"")}}},"value":{"amount":"1.00","currency":"EUR"}}""";

    [Fact]
    public void BookedTransferIsApprovedWithTheBankTransferId()
    {
        var result = Normalise(HttpStatusCode.OK, Transfer("BOOKED"));

        Assert.Equal((PspOutcome.Approved, "BT1"), (result.Outcome, result.PspReference));
    }

    [Theory]
    [InlineData("AM04", "INSUFFICIENT_FUNDS")]
    [InlineData("AC04", "ACCOUNT_CLOSED")]
    [InlineData("AG01", "TRANSACTION_NOT_ALLOWED")]
    [InlineData("XX99", "DECLINED")]
    public void RejectedTransferIsADeclineWithTheNormalisedReason(string reason, string declineCode)
    {
        var result = Normalise(HttpStatusCode.OK, Transfer("REJECTED", reason));

        Assert.Equal((PspOutcome.Declined, declineCode, "BT1"), (result.Outcome, result.DeclineCode, result.PspReference));
    }

    [Fact]
    public void PendingTransferIsUnknownButKeepsItsReferenceForTheInquiry()
    {
        var result = Normalise(HttpStatusCode.OK, Transfer("PENDING"));

        Assert.Equal((PspOutcome.Unknown, "BT1"), (result.Outcome, result.PspReference));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public void ServerErrorsAreUnknownNeverAFailure(HttpStatusCode status)
    {
        Assert.Equal(PspOutcome.Unknown, Normalise(status, """{"error_code":"SYSTEM_ERROR","error_description":"x"}""").Outcome);
    }

    [Theory]
    [InlineData("AC01", "INVALID_ACCOUNT")]
    [InlineData("AM12", "INVALID_AMOUNT")]
    [InlineData("FF01", "FORMAT_ERROR")]
    [InlineData("ZZ00", "BANK_HTTP_400")]
    public void ValidationErrorsProveNothingMovedAndAreRejected(string errorCode, string normalised)
    {
        var result = Normalise(HttpStatusCode.BadRequest, $$"""{"error_code":"{{errorCode}}","error_description":"x"}""");

        Assert.Equal((PspOutcome.Rejected, normalised), (result.Outcome, result.DeclineCode));
    }

    [Fact]
    public void UnexpectedStateOrBodyIsUnknown()
    {
        Assert.Equal(PspOutcome.Unknown, Normalise(HttpStatusCode.OK, Transfer("SETTLING")).Outcome);
        Assert.Equal(PspOutcome.Unknown, Normalise(HttpStatusCode.OK, "not json").Outcome);
    }

    [Theory]
    [InlineData(1234, "EUR", "12.34")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(1000, "JPY", "1000")]
    [InlineData(1500, "KWD", "1.500")]
    public void AmountsAreWrittenInMajorUnitsWithTheCurrencysDecimals(long minor, string currency, string expected)
    {
        Assert.Equal(expected, BankConnector.ToMajor(minor, currency));
    }
}
