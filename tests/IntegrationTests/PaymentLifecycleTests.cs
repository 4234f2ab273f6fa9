namespace Payments.Actors.IntegrationTests;

/// <summary>The merchant API over HTTP with tokens from the token endpoint, against the real silo, PostgreSQL and PSP simulator.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PaymentLifecycleTests(PlatformFixture platform)
{
    [Fact]
    public async Task AutoCapturedPaymentIsCapturedInFullAndDurable()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 2599, currency: "EUR"));

        Assert.Equal(201, created.Status);
        Assert.Equal("CAPTURED", created.State);
        Assert.Equal(2599, created.Json.GetProperty("captured_minor").GetInt64());
        Assert.Equal("4242", created.Json.GetProperty("card").GetProperty("last4").GetString());
        Assert.DoesNotContain(Requests.ApprovedCard, created.Text, StringComparison.Ordinal);
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND state = 'CAPTURED' AND captured_minor = 2599", created.Id));
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type IN ('payment.authorized', 'payment.captured')", created.Id));
    }

    [Fact]
    public async Task AuthorisedPaymentCapturesInFullWithoutAnAmount()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1500, capture: false));
        Assert.Equal("AUTHORIZED", created.State);

        var captured = await platform.PostAsync($"/v1/payments/{created.Id}/capture", null);

        Assert.Equal(200, captured.Status);
        Assert.Equal("CAPTURED", captured.State);
        Assert.Equal(1500, captured.Json.GetProperty("captured_minor").GetInt64());
    }

    [Fact]
    public async Task PartialCaptureCapturesOnlyTheAmountAndRefusesASecondCapture()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000, capture: false));

        var captured = await platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(600));
        var again = await platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(100));

        Assert.Equal(200, captured.Status);
        Assert.Equal(600, captured.Json.GetProperty("captured_minor").GetInt64());
        Assert.Equal(1000, captured.Json.GetProperty("authorized_minor").GetInt64());
        Assert.Equal(409, again.Status);
        Assert.Equal("INVALID_STATE", again.ErrorCode);
        Assert.Equal("CAPTURED", again.Json.GetProperty("current_state").GetString());
    }

    [Fact]
    public async Task VoidReversesAnAuthorisationAndCaptureAfterVoidIsRejected()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(capture: false));

        var voided = await platform.PostAsync($"/v1/payments/{created.Id}/void", null);
        var capture = await platform.PostAsync($"/v1/payments/{created.Id}/capture", null);

        Assert.Equal(200, voided.Status);
        Assert.Equal("REVERSED", voided.State);
        Assert.Equal(409, capture.Status);
        Assert.Equal("INVALID_STATE", capture.ErrorCode);
        Assert.Equal("REVERSED", capture.Json.GetProperty("current_state").GetString());
        Assert.False(capture.Json.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task SeveralPartialRefundsAddUpToTheCapturedAmountAndNoFurther()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000, capture: false));
        await platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(900));

        var first = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(300));
        var second = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(500));
        var tooMuch = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(101));
        var rest = await platform.PostAsync($"/v1/payments/{created.Id}/refund", null);

        Assert.Equal(("CAPTURED", 300L), (first.State, first.Json.GetProperty("refunded_minor").GetInt64()));
        Assert.Equal(("CAPTURED", 800L), (second.State, second.Json.GetProperty("refunded_minor").GetInt64()));
        Assert.Equal(422, tooMuch.Status);
        Assert.Equal("AMOUNT_EXCEEDS_REFUNDABLE", tooMuch.ErrorCode);
        Assert.Equal(200, rest.Status);
        Assert.Equal("REFUNDED", rest.State);
        Assert.Equal(900, rest.Json.GetProperty("refunded_minor").GetInt64());
        Assert.Equal(3, rest.Json.GetProperty("refunds").GetArrayLength());
        Assert.Equal(900, await platform.ScalarAsync(
            "SELECT sum((payload->>'amount_minor')::bigint) FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.refunded'", created.Id));
    }

    [Fact]
    public async Task GetReturnsThePaymentAndAnotherMerchantGetsNotFound()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment());

        var own = await platform.GetAsync($"/v1/payments/{created.Id}");
        var foreign = await platform.GetAsync($"/v1/payments/{created.Id}", PlatformFixture.MerchantB);
        var foreignCapture = await platform.PostAsync($"/v1/payments/{created.Id}/refund", null, clientId: PlatformFixture.MerchantB);

        Assert.Equal(200, own.Status);
        Assert.Equal(created.Id, own.Id);
        Assert.Equal(404, foreign.Status);
        Assert.Equal("PAYMENT_NOT_FOUND", foreign.ErrorCode);
        Assert.Equal(404, foreignCapture.Status);
        Assert.Equal("CAPTURED", (await platform.GetAsync($"/v1/payments/{created.Id}")).State);
    }

    [Fact]
    public async Task ListingPagesThroughOnlyTheMerchantsOwnPaymentsNewestFirst()
    {
        var mine = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add((await platform.PostAsync("/v1/payments", Requests.Payment(amount: 100 + i), clientId: PlatformFixture.MerchantB)).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await platform.GetAsync($"/v1/payments?limit=2{(cursor is null ? "" : $"&starting_after={cursor}")}", PlatformFixture.MerchantB);
            Assert.Equal(200, page.Status);
            seen.AddRange(page.Json.GetProperty("data").EnumerateArray().Select(p => Guid.Parse(p.GetProperty("id").GetString()!)));
            cursor = page.Json.GetProperty("has_more").GetBoolean() ? page.Json.GetProperty("next_cursor").GetString() : null;
        }
        while (cursor is not null);

        var newestFirst = Enumerable.Reverse(mine).ToList();
        Assert.Equal(newestFirst, seen.Where(mine.Contains).ToList());
        var merchantAPayments = await platform.GetAsync("/v1/payments?limit=100");
        Assert.DoesNotContain(merchantAPayments.Json.GetProperty("data").EnumerateArray(),
            p => mine.Contains(Guid.Parse(p.GetProperty("id").GetString()!)));
    }

    [Fact]
    public async Task ListingFiltersByState()
    {
        var authorised = await platform.PostAsync("/v1/payments", Requests.Payment(capture: false), clientId: PlatformFixture.MerchantB);

        var page = await platform.GetAsync("/v1/payments?state=AUTHORIZED&limit=100", PlatformFixture.MerchantB);

        var states = page.Json.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("state").GetString()).ToList();
        Assert.Contains(page.Json.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetString() == authorised.Id.ToString());
        Assert.All(states, state => Assert.Equal("AUTHORIZED", state));
    }

    [Theory]
    [InlineData(Requests.DeclinedCard, "DO_NOT_HONOR")]
    [InlineData(Requests.InsufficientFundsCard, "INSUFFICIENT_FUNDS")]
    public async Task DeclinesBecomeDeclinedPaymentsWithANormalisedCode(string card, string declineCode)
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(card: card));

        Assert.Equal(201, created.Status);
        Assert.Equal("DECLINED", created.State);
        Assert.Equal(declineCode, created.Json.GetProperty("decline_code").GetString());
        Assert.Equal(0, created.Json.GetProperty("captured_minor").GetInt64());
        var refund = await platform.PostAsync($"/v1/payments/{created.Id}/refund", null);
        Assert.Equal(409, refund.Status);
    }
}
