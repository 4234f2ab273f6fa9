using System.Net;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

[Collection(SimulatorCollection.Name)]
public sealed class PspATests(SimulatorFixture fixture)
{
    private const string Payments = "/psp-a/v1/payments";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VisaTestCardWithoutCaptureIsAuthorized()
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.StartsWith("pa_", payment.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(reference, payment.GetProperty("reference").GetString());
        Assert.Equal("authorized", payment.GetProperty("status").GetString());
        Assert.Equal(1000, payment.GetProperty("amount").GetInt64());
        Assert.Equal(0, payment.GetProperty("captured_amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("decline_reason").ValueKind);
    }

    [Fact]
    public async Task MastercardTestCardWithCaptureIsCaptured()
    {
        using var response = await _host.PostAsync(
            Payments, Bodies.NewKey(), Bodies.PspAPayment(Bodies.NewReference(), "5555555555554444", capture: true), Ct);

        var payment = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal(1000, payment.GetProperty("captured_amount").GetInt64());
    }

    [Theory]
    [InlineData("4000000000000002", "do_not_honor")]
    [InlineData("4000000000009995", "insufficient_funds")]
    [InlineData("4000000000000069", "expired_card")]
    public async Task DeclineTestCardsAreDeclinedWithTheirReason(string cardNumber, string reason)
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, cardNumber), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("declined", payment.GetProperty("status").GetString());
        Assert.Equal(reason, payment.GetProperty("decline_reason").GetString());
        var charges = await _host.ChargesAsync("psp-a", reference, Ct);
        Assert.Equal("declined", Assert.Single(charges.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AmountOf99999IsDeclinedWithAmountLimitWhateverTheCard()
    {
        using var response = await _host.PostAsync(
            Payments, Bodies.NewKey(), Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242", amount: 99_999), Ct);

        var payment = await SimulatorHost.ReadJsonAsync(response, Ct);
        Assert.Equal("declined", payment.GetProperty("status").GetString());
        Assert.Equal("amount_limit", payment.GetProperty("decline_reason").GetString());
    }

    [Fact]
    public async Task LuhnInvalidCardIsRejectedAndNothingIsCharged()
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424241"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error");
        Assert.Equal("invalid_request", error.GetProperty("type").GetString());
        Assert.Equal("invalid_card", error.GetProperty("code").GetString());
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task IssuerUnavailableCardFailsWithoutRecordingAnything()
    {
        var key = Bodies.NewKey();
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, key, Bodies.PspAPayment(reference, "4000000000000093"), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("api_error", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error").GetProperty("type").GetString());
        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task InvalidParametersAreRejectedWithoutClaimingTheKey()
    {
        var key = Bodies.NewKey();
        using var invalid = await _host.PostAsync(Payments, key, """{"reference":"r","amount":-5}""", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        using var inquiry = await _host.Client.GetAsync($"/psp-a/v1/requests/{key}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, inquiry.StatusCode);
        using var corrected = await _host.PostAsync(Payments, key, Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242"), Ct);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
    }

    [Fact]
    public async Task CaptureBeyondTheAuthorizedAmountIsRejectedAndASecondCaptureConflicts()
    {
        var (id, _) = await AuthorizeAsync(capture: false);

        using var tooMuch = await _host.PostAsync($"{Payments}/{id}/capture", Bodies.NewKey(), """{"amount":1001}""", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal("amount_too_large", await ErrorCodeAsync(tooMuch));

        using var partial = await _host.PostAsync($"{Payments}/{id}/capture", Bodies.NewKey(), """{"amount":600}""", Ct);
        var payment = await SimulatorHost.ReadJsonAsync(partial, Ct);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal(600, payment.GetProperty("captured_amount").GetInt64());

        using var again = await _host.PostAsync($"{Payments}/{id}/capture", Bodies.NewKey(), """{"amount":100}""", Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("payment_already_captured", await ErrorCodeAsync(again));
    }

    [Fact]
    public async Task RefundsBeyondTheCapturedAmountAreRejected()
    {
        var (id, reference) = await AuthorizeAsync(capture: false);
        using var capture = await _host.PostAsync($"{Payments}/{id}/capture", Bodies.NewKey(), """{"amount":600}""", Ct);
        Assert.Equal(HttpStatusCode.OK, capture.StatusCode);

        using var first = await _host.PostAsync($"{Payments}/{id}/refunds", Bodies.NewKey(), """{"amount":300}""", Ct);
        var refund = await SimulatorHost.ReadJsonAsync(first, Ct);
        Assert.StartsWith("re_", refund.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, refund.GetProperty("payment_id").GetString());
        Assert.Equal("succeeded", refund.GetProperty("status").GetString());

        using var over = await _host.PostAsync($"{Payments}/{id}/refunds", Bodies.NewKey(), """{"amount":301}""", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("refund_exceeds_captured", await ErrorCodeAsync(over));

        using var rest = await _host.PostAsync($"{Payments}/{id}/refunds", Bodies.NewKey(), """{"amount":300}""", Ct);
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var charge = Assert.Single((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
        Assert.Equal(600, charge.GetProperty("refunded_minor").GetInt64());
    }

    [Fact]
    public async Task CancelOfAnAuthorizationSucceedsButOfACaptureConflicts()
    {
        var (authorized, _) = await AuthorizeAsync(capture: false);
        using var cancel = await _host.PostAsync($"{Payments}/{authorized}/cancel", Bodies.NewKey(), "", Ct);
        Assert.Equal("canceled", (await SimulatorHost.ReadJsonAsync(cancel, Ct)).GetProperty("status").GetString());

        var (captured, _) = await AuthorizeAsync(capture: true);
        using var conflict = await _host.PostAsync($"{Payments}/{captured}/cancel", Bodies.NewKey(), "", Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("payment_not_cancelable", await ErrorCodeAsync(conflict));
    }

    [Fact]
    public async Task UnknownPaymentIsResourceMissing()
    {
        using var response = await _host.PostAsync($"{Payments}/pa_unknown/capture", Bodies.NewKey(), "", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("resource_missing", await ErrorCodeAsync(response));
    }

    private async Task<(string Id, string Reference)> AuthorizeAsync(bool capture)
    {
        var reference = Bodies.NewReference();
        using var response = await _host.PostAsync(Payments, Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242", capture: capture), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("id").GetString()!, reference);
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error").GetProperty("code").GetString();
}
