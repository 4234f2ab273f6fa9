using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SimulatorCollection.Name)]
public sealed class PspBTests(SimulatorFixture fixture)
{
    private const string Transactions = "/psp-b/api/transactions";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaleWithTheVisaTestCardIsSettledWithResponseCode00()
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Transactions, Bodies.NewKey(), Bodies.PspBTransaction(reference, "4242424242424242", txnType: "SALE"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transaction = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Matches("^B[0-9]+$", transaction.GetProperty("txnId").GetString());
        Assert.Equal(reference, transaction.GetProperty("merchantTxnId").GetString());
        Assert.Equal("00", transaction.GetProperty("responseCode").GetString());
        Assert.Matches("^[0-9]{6}$", transaction.GetProperty("authCode").GetString());
        Assert.Equal("SETTLED", transaction.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("4000000000000002", 1000, "05")]
    [InlineData("4000000000009995", 1000, "51")]
    [InlineData("4000000000000069", 1000, "54")]
    [InlineData("4242424242424242", 99_999, "61")]
    [InlineData("4000000000000093", 1000, "91")]
    public async Task RefusalsCarryTheirIsoResponseCode(string pan, long amountCents, string responseCode)
    {
        using var response = await _host.PostAsync(Transactions, Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), pan, amountCents), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transaction = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal(responseCode, transaction.GetProperty("responseCode").GetString());
        Assert.Equal("REFUSED", transaction.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, transaction.GetProperty("authCode").ValueKind);
    }

    [Fact]
    public async Task ProcessingErrorAnswers96WithHttp500AndRecordsNothing()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Transactions, key, Bodies.PspBTransaction(reference, "4000000000000119"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("96", error.GetProperty("responseCode").GetString());
        Assert.Equal("system malfunction", error.GetProperty("responseText").GetString());
        using var inquiry = await _host.Client.GetAsync($"/psp-b/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-b", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task LuhnInvalidPanIsRejectedWithResponseCode14()
    {
        using var response = await _host.PostAsync(Transactions, Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424241"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("14", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task MalformedExpiryIsAFormatError()
    {
        using var response = await _host.PostAsync(
            Transactions, Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242", expiry: "2030-12"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("30", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task SettleAndCreditBeyondTheirLimitsAreInvalidAmounts()
    {
        var txnId = await AuthoriseAsync();

        var tooMuch = await OperateAsync(txnId, "settle", """{"amountCents":1001}""");
        Assert.Equal("13", tooMuch.GetProperty("responseCode").GetString());
        Assert.Equal("AUTHORISED", tooMuch.GetProperty("state").GetString());

        var settled = await OperateAsync(txnId, "settle", """{"amountCents":600}""");
        Assert.Equal("00", settled.GetProperty("responseCode").GetString());
        Assert.Equal("SETTLED", settled.GetProperty("state").GetString());
        Assert.Equal(600, settled.GetProperty("settledCents").GetInt64());

        Assert.Equal("00", (await OperateAsync(txnId, "credit", """{"amountCents":300}""")).GetProperty("responseCode").GetString());
        Assert.Equal("13", (await OperateAsync(txnId, "credit", """{"amountCents":301}""")).GetProperty("responseCode").GetString());
        var credited = await OperateAsync(txnId, "credit", """{"amountCents":300}""");
        Assert.Equal("00", credited.GetProperty("responseCode").GetString());
        Assert.Equal(600, credited.GetProperty("creditedCents").GetInt64());

        Assert.Equal("12", (await OperateAsync(txnId, "reverse", "")).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task ReversalOfAnAuthorisationLeavesItReversed()
    {
        var txnId = await AuthoriseAsync();

        var reversed = await OperateAsync(txnId, "reverse", "");

        Assert.Equal("00", reversed.GetProperty("responseCode").GetString());
        Assert.Equal("REVERSED", reversed.GetProperty("state").GetString());
        Assert.Equal("12", (await OperateAsync(txnId, "settle", "")).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task UnknownTransactionIsRecordNotFound()
    {
        using var response = await _host.PostAsync($"{Transactions}/B0/settle", Bodies.NewKey(), "", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("25", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("responseCode").GetString());
    }

    [Fact]
    public async Task SameKeyReplaysTheFirstAnswerAndInquiryReturnsIt()
    {
        var key = Bodies.NewKey();
        var body = Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242");
        using var first = await _host.PostAsync(Transactions, key, body, Ct);
        using var second = await _host.PostAsync(Transactions, key, body, Ct);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);

        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync(Ct));
        var inquiry = await _host.GetJsonAsync($"/psp-b/v1/requests/{key}", Ct);
        Assert.Equal(200, inquiry.GetProperty("status_code").GetInt32());
        Assert.Equal(firstBody, inquiry.GetProperty("response").GetRawText());
    }

    private async Task<string> AuthoriseAsync()
    {
        using var response = await _host.PostAsync(Transactions, Bodies.NewKey(), Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242"), Ct);
        var transaction = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("AUTHORISED", transaction.GetProperty("state").GetString());
        return transaction.GetProperty("txnId").GetString()!;
    }

    private async Task<JsonElement> OperateAsync(string txnId, string operation, string body)
    {
        using var response = await _host.PostAsync($"{Transactions}/{txnId}/{operation}", Bodies.NewKey(), body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await SimulatorHost.ReadJsonAsync(response, Ct);
    }
}
