using System.Net.Http.Headers;

namespace Payments.Actors.IntegrationTests;

/// <summary>Bad input gets the error model (error_code, message, retryable, correlation_id), the right status, and writes nothing.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ErrorModelTests(PlatformFixture platform)
{
    public static TheoryData<string, string, string?> InvalidCreateBodies => new()
    {
        { """{"amount_minor":""", "INVALID_JSON", null },
        { """{"amount_minor":"100","currency":"USD"}""", "INVALID_JSON", "amount_minor" },
        { """{"amount_minor":10.5,"currency":"USD"}""", "INVALID_JSON", "amount_minor" },
        { """{"currency":"USD","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "amount_minor" },
        { """{"amount_minor":0,"currency":"USD","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "amount_minor" },
        { """{"amount_minor":-5,"currency":"USD","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "amount_minor" },
        { """{"amount_minor":100000000001,"currency":"USD","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "amount_minor" },
        { """{"amount_minor":100,"card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "currency" },
        { """{"amount_minor":100,"currency":"ABC","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "currency" },
        { """{"amount_minor":100,"currency":"usd","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "currency" },
        { """{"amount_minor":100,"currency":"USD"}""", "VALIDATION_FAILED", "card" },
        { """{"amount_minor":100,"currency":"USD","card":{"number":"4242424242424241","exp_month":1,"exp_year":2030}}""", "VALIDATION_FAILED", "card.number" },
        { """{"amount_minor":100,"currency":"USD","card":{"number":"4242424242424242","exp_month":13,"exp_year":2030}}""", "VALIDATION_FAILED", "card.exp_month" },
        { """{"amount_minor":100,"currency":"USD","card":{"number":"4242424242424242","exp_month":1,"exp_year":2030},"surprise":1}""", "INVALID_JSON", "surprise" },
        { "[]", "INVALID_JSON", null },
        { "null", "INVALID_JSON", null },
    };

    [Theory]
    [MemberData(nameof(InvalidCreateBodies))]
    public async Task InvalidCreateRequestsAreRejectedWith400AndWriteNothing(string body, string errorCode, string? field)
    {
        var key = Guid.NewGuid().ToString();

        var response = await platform.PostAsync("/v1/payments", body, key);

        Assert.Equal(400, response.Status);
        AssertErrorModel(response, errorCode, retryable: false);
        if (field is not null)
        {
            Assert.Equal(field, response.Json.GetProperty("field").GetString());
        }

        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", key));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
    }

    [Fact]
    public async Task AKeyRejectedForInvalidInputCanBeUsedForTheCorrectedRequest()
    {
        var key = Guid.NewGuid().ToString();
        await platform.PostAsync("/v1/payments", """{"amount_minor":0,"currency":"USD"}""", key);

        var corrected = await platform.PostAsync("/v1/payments", Requests.Payment(), key);

        Assert.Equal(201, corrected.Status);
    }

    [Fact]
    public async Task MissingIdempotencyKeyIsRejected()
    {
        var response = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment());

        Assert.Equal(400, response.Status);
        AssertErrorModel(response, "IDEMPOTENCY_KEY_MISSING", retryable: false);
    }

    [Fact]
    public async Task MalformedIdempotencyKeyIsRejected()
    {
        var response = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(), idempotencyKey: new string('k', 256));

        Assert.Equal(400, response.Status);
        AssertErrorModel(response, "IDEMPOTENCY_KEY_INVALID", retryable: false);
    }

    [Fact]
    public async Task WrongContentTypeIsRejectedWith415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{platform.ApiUrl}/v1/payments")
        {
            Content = new StringContent(Requests.Payment(), System.Text.Encoding.UTF8, "text/plain"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync(PlatformFixture.MerchantA));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await platform.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(415, (int)response.StatusCode);
    }

    [Fact]
    public async Task MissingTokenIsRejectedWith401()
    {
        var response = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(), Guid.NewGuid().ToString(), clientId: null);

        Assert.Equal(401, response.Status);
        AssertErrorModel(response, "UNAUTHORIZED", retryable: false);
    }

    [Fact]
    public async Task InvalidTokenIsRejectedWith401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ApiUrl}/v1/payments");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");

        using var response = await platform.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("UNAUTHORIZED", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadOnlyClientCannotCreatePayments()
    {
        var response = await platform.PostAsync("/v1/payments", Requests.Payment(), clientId: PlatformFixture.ReaderA);

        Assert.Equal(403, response.Status);
        AssertErrorModel(response, "FORBIDDEN", retryable: false);
    }

    [Fact]
    public async Task UnknownPaymentIsNotFound()
    {
        var unknown = await platform.GetAsync($"/v1/payments/{Guid.CreateVersion7()}");
        var garbage = await platform.GetAsync("/v1/payments/not-a-payment-id");
        var captureUnknown = await platform.PostAsync($"/v1/payments/{Guid.CreateVersion7()}/capture", null);

        Assert.Equal(404, unknown.Status);
        AssertErrorModel(unknown, "PAYMENT_NOT_FOUND", retryable: false);
        Assert.Equal(404, garbage.Status);
        Assert.Equal(404, captureUnknown.Status);
        AssertErrorModel(captureUnknown, "PAYMENT_NOT_FOUND", retryable: false);
    }

    [Fact]
    public async Task CaptureAboveTheAuthorisedAmountIsRejectedAndLeavesThePaymentAuthorised()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 1000, capture: false));

        var response = await platform.PostAsync($"/v1/payments/{created.Id}/capture", Requests.Amount(1001));

        Assert.Equal(422, response.Status);
        AssertErrorModel(response, "AMOUNT_EXCEEDS_AUTHORIZED", retryable: false);
        Assert.Equal("AUTHORIZED", (await platform.GetAsync($"/v1/payments/{created.Id}")).State);
        Assert.Equal(2, await platform.ScalarAsync("SELECT version FROM payments WHERE id = $1", created.Id));
    }

    [Fact]
    public async Task RefundAboveTheCapturedAmountIsRejected()
    {
        var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 500));

        var response = await platform.PostAsync($"/v1/payments/{created.Id}/refund", Requests.Amount(501));

        Assert.Equal(422, response.Status);
        AssertErrorModel(response, "AMOUNT_EXCEEDS_REFUNDABLE", retryable: false);
        Assert.Equal(0, await platform.ScalarAsync("SELECT refunded_minor FROM payments WHERE id = $1", created.Id));
    }

    [Fact]
    public async Task InvalidListParametersAreRejected()
    {
        var limit = await platform.GetAsync("/v1/payments?limit=1000");
        var cursor = await platform.GetAsync("/v1/payments?starting_after=bogus");
        var state = await platform.GetAsync("/v1/payments?state=PAID");

        AssertErrorModel(limit, "VALIDATION_FAILED", retryable: false);
        AssertErrorModel(cursor, "INVALID_CURSOR", retryable: false);
        AssertErrorModel(state, "VALIDATION_FAILED", retryable: false);
    }

    [Fact]
    public async Task IdsThatCannotBePaymentsAnswer404WithoutAStackTrace()
    {
        var notVersion7 = Guid.NewGuid();
        var answers = new[]
        {
            await platform.GetAsync($"/v1/payments/{notVersion7}"),
            await platform.GetAsync($"/v1/payments/{Guid.Empty}"),
            await platform.PostAsync($"/v1/payments/{notVersion7}/capture", null),
            await platform.PostAsync($"/v1/payments/{notVersion7}/refund", null),
            await platform.PostAsync($"/v1/payments/{notVersion7}/void", null),
        };

        Assert.All(answers, a =>
        {
            Assert.True(a.Status == 404, a.ToString());
            AssertErrorModel(a, "PAYMENT_NOT_FOUND", retryable: false);
        });
        Assert.DoesNotContain("is not a UUID version 7", platform.LogsOfSilo(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/payments?limit=abc", null)]
    [InlineData("/v1/payments?limit=1e6", null)]
    [InlineData("/v1/payments?limit=99999999999", null)]
    [InlineData("/v1/operator/ledger/accounts?limit=abc", PlatformFixture.Operator)]
    [InlineData("/v1/operator/ledger/accounts/bank:EUR/entries?limit=x", PlatformFixture.Operator)]
    [InlineData("/v1/operator/psps/psp-a/audit?limit=abc", PlatformFixture.Operator)]
    [InlineData("/v1/operator/dead-letters/payments.events?limit=abc", PlatformFixture.Operator)]
    [InlineData("/v1/operator/outbox?limit=x", PlatformFixture.Operator)]
    public async Task AQueryValueThatDoesNotBindIsA400NamingItNeverA500(string path, string? clientId)
    {
        var response = await platform.GetAsync(path, clientId: clientId ?? PlatformFixture.MerchantA);

        Assert.True(response.Status == 400, response.ToString());
        AssertErrorModel(response, "VALIDATION_FAILED", retryable: false);
        Assert.Equal("limit", response.Json.GetProperty("field").GetString());
        Assert.DoesNotContain($"Unhandled failure on GET {path.Split('?')[0]}", platform.LogsOfSilo(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoutesSpeakTheErrorModel()
    {
        var response = await platform.GetAsync("/v1/nothing-here");

        Assert.Equal(404, response.Status);
        AssertErrorModel(response, "NOT_FOUND", retryable: false);
    }

    private static void AssertErrorModel(ApiResponse response, string errorCode, bool retryable)
    {
        var json = response.Json;
        Assert.Equal(errorCode, json.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
        Assert.Equal(retryable, json.GetProperty("retryable").GetBoolean());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("correlation_id").GetString());
    }
}
