using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SimulatorCollection.Name)]
public sealed class BankTests(SimulatorFixture fixture)
{
    private const string Transfers = "/bank/v2/transfers";
    private const string GoodIban = "DE89370400440532013000";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("12.34", "EUR", "12.34", 1234)]
    [InlineData("12.3", "EUR", "12.30", 1230)]
    [InlineData("1000", "JPY", "1000", 1000)]
    [InlineData("1.5", "KWD", "1.500", 1500)]
    [InlineData("0.001", "KWD", "0.001", 1)]
    public async Task DecimalAmountsAreReadWithTheCurrencyExponent(string amount, string currency, string echoed, long amountMinor)
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(reference, GoodIban, amount, currency), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.StartsWith("BT", transfer.GetProperty("bank_transfer_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(reference, transfer.GetProperty("transfer_ref").GetString());
        Assert.Equal("BOOKED", transfer.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, transfer.GetProperty("reason_code").ValueKind);
        Assert.Equal(echoed, transfer.GetProperty("value").GetProperty("amount").GetString());
        var charge = Assert.Single((await _host.ChargesAsync("bank", reference, Ct)).EnumerateArray());
        Assert.Equal(amountMinor, charge.GetProperty("amount_minor").GetInt64());
    }

    [Theory]
    [InlineData("12.345", "EUR")]
    [InlineData("1000.5", "JPY")]
    [InlineData("1.2345", "KWD")]
    [InlineData("-1.00", "EUR")]
    [InlineData("1e3", "EUR")]
    [InlineData("0.00", "EUR")]
    [InlineData("1,000.00", "EUR")]
    public async Task AmountsTheCurrencyCannotHoldAreRejected(string amount, string currency)
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(reference, GoodIban, amount, currency), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("AM12", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error_code").GetString());
        Assert.Empty((await _host.ChargesAsync("bank", reference, Ct)).EnumerateArray());
    }

    [Theory]
    [InlineData("DE89370400440532010000", "CREDIT", "REJECTED", "AC04")]
    [InlineData("DE89370400440532019995", "DEBIT", "REJECTED", "AM04")]
    [InlineData("DE89370400440532019995", "CREDIT", "BOOKED", null)]
    public async Task TestIbansDecideTheTransfer(string iban, string direction, string state, string? reasonCode)
    {
        using var response = await _host.PostAsync(
            Transfers, Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), iban, "10.00", direction: direction), Ct);

        var transfer = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal(state, transfer.GetProperty("state").GetString());
        Assert.Equal(reasonCode, transfer.GetProperty("reason_code").GetString());
    }

    [Fact]
    public async Task AmountLimitTriggerIsRejectedAsNotAllowed()
    {
        using var response = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), GoodIban, "999.99"), Ct);

        var transfer = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("REJECTED", transfer.GetProperty("state").GetString());
        Assert.Equal("AG01", transfer.GetProperty("reason_code").GetString());
    }

    [Fact]
    public async Task MalformedIbanIsRejected()
    {
        using var response = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), "DE89 3704", "10.00"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("AC01", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task ProcessingErrorIbanFailsAndRecordsNothing()
    {
        var key = Bodies.NewKey();
        using var response = await _host.PostAsync(Transfers, key, Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532010119", "10.00"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("SYSTEM_ERROR", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error_code").GetString());
        using var inquiry = await _host.Client.GetAsync($"/bank/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
    }

    [Fact]
    public async Task InquiryAfterASlowTransferTimesOutShowsItBooked()
    {
        var key = Bodies.NewKey();
        // Warm up first: a cold request can still be in flight when the client gives up, and then the
        // bank rightly never hears of it.
        using (var warmUp = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532013000", "1.00"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMilliseconds(SimulatorFixture.SlowDelayMs * 2 / 3));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => _host.PostAsync(Transfers, key, Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532010259", "10.00"), timeout.Token));
        }

        var inquiry = await _host.GetJsonAsync($"/bank/v1/requests/{key}", Ct);
        Assert.Equal("BOOKED", inquiry.GetProperty("response").GetProperty("state").GetString());
    }

    [Fact]
    public async Task PendingTransferReadsAsBookedOnceItsPendingTimeHasPassed()
    {
        using var response = await _host.PostAsync(Transfers, Bodies.NewKey(), Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532011111", "10.00"), Ct);
        var created = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("PENDING", created.GetProperty("state").GetString());
        var id = created.GetProperty("bank_transfer_id").GetString();

        await Task.Delay(TimeSpan.FromMilliseconds(SimulatorFixture.PendingDurationMs + 100), Ct);

        var read = await _host.GetJsonAsync($"{Transfers}/{id}", Ct);
        Assert.Equal("BOOKED", read.GetProperty("state").GetString());
    }

    [Fact]
    public async Task UnknownTransferIsNotFound()
    {
        using var response = await _host.Client.GetAsync($"{Transfers}/BT0", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error_code").GetString());
    }
}
