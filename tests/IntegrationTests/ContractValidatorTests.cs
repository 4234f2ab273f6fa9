using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The contract check catches what it is there to catch. A real exchange (a payment created over HTTP) is valid against
/// the served document; the same exchange with one thing made wrong is reported, with the operation, the JSON pointer and
/// the schema rule: a string amount, a missing required member, a timestamp that is not RFC 3339, an undocumented status,
/// a missing required header, a body the document rules out that the API accepted, an unknown route answered as if
/// it existed, and an event whose data.object is not the API object it names.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ContractValidatorTests(PlatformFixture platform)
{
    private async Task<ContractExchange> CreatePaymentExchangeAsync()
    {
        var exchange = await ExchangeAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(amount: 2599, currency: "EUR"));
        Assert.True(exchange.Status == 201, Encoding.UTF8.GetString(exchange.ResponseBody));
        return exchange;
    }

    /// <summary>One exchange as merchant A, as the wire carried it (a POST with a new Idempotency-Key).</summary>
    private async Task<ContractExchange> ExchangeAsync(HttpMethod method, string path, string? json = null)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(method, $"{platform.ApiUrl}{path}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync(PlatformFixture.MerchantA));
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        var body = await ContractExchange.BodyOfAsync(request, cancellation);
        using var response = await platform.Http.SendAsync(request, cancellation);
        return await ContractExchange.ReadAsync(request, body, response, cancellation);
    }

    private static byte[] Changed(byte[] json, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        change(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private IReadOnlyList<ContractViolation> Check(ContractExchange exchange) => ContractValidator.Check(platform.Contract, exchange, out _);

    [Fact]
    public async Task ARealPaymentExchangeIsValidAgainstTheServedDocument()
    {
        var exchange = await CreatePaymentExchangeAsync();

        Assert.Empty(Check(exchange));
        Assert.Equal("CreatePayment", platform.Contract.Find("POST", "/v1/payments", out _)?.OperationId);
    }

    [Fact]
    public async Task AStringAmountInTheResponseIsReportedAtItsPointerWithTheTypeRule()
    {
        var exchange = await CreatePaymentExchangeAsync();

        var violations = Check(exchange with { ResponseBody = Changed(exchange.ResponseBody, p => p["amount_minor"] = "2599") });

        var violation = Assert.Single(violations);
        Assert.Equal(("CreatePayment", "response", "/amount_minor", 201), (violation.Operation, violation.Part, violation.Pointer, violation.Status));
        Assert.StartsWith("type", violation.Rule, StringComparison.Ordinal);
        Assert.Contains("amount_minor", violation.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRequiredMemberIsReportedWithTheRequiredRule()
    {
        var exchange = await CreatePaymentExchangeAsync();

        var violations = Check(exchange with { ResponseBody = Changed(exchange.ResponseBody, p => p.Remove("state")) });

        var violation = Assert.Single(violations);
        Assert.StartsWith("required", violation.Rule, StringComparison.Ordinal);
        Assert.Contains("state", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimestampThatIsNotRfc3339IsReportedWithTheFormatRule()
    {
        var exchange = await CreatePaymentExchangeAsync();

        var violations = Check(exchange with { ResponseBody = Changed(exchange.ResponseBody, p => p["created_at"] = "yesterday") });

        var violation = Assert.Single(violations);
        Assert.Equal("/created_at", violation.Pointer);
        Assert.StartsWith("format", violation.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUndocumentedStatusIsReportedWithTheDocumentedOnes()
    {
        var exchange = await CreatePaymentExchangeAsync();

        var violation = Assert.Single(Check(exchange with { Status = 418 }));

        Assert.Equal("responses", violation.Rule);
        Assert.Contains("status 418 is not documented for CreatePayment (documented: 201", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRequiredResponseHeaderIsReported()
    {
        var exchange = await CreatePaymentExchangeAsync();
        var headers = exchange.ResponseHeaders.Where(h => !h.Key.Equals("Request-Id", StringComparison.OrdinalIgnoreCase)).ToDictionary();

        var violation = Assert.Single(Check(exchange with { ResponseHeaders = headers }));

        Assert.StartsWith("headers/Request-Id: required", violation.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestTheDocumentRulesOutIsReportedWhenTheApiAcceptsIt()
    {
        var exchange = await CreatePaymentExchangeAsync();
        var wrongRequest = exchange with { RequestBody = Changed(exchange.RequestBody!, r => r["amount_minor"] = "2599") };

        var accepted = Check(wrongRequest);
        var refused = Check(wrongRequest with { Status = 400, ResponseBody = Encoding.UTF8.GetBytes(ErrorBody) });

        var violation = Assert.Single(accepted);
        Assert.Equal(("request", "/amount_minor"), (violation.Part, violation.Pointer));
        Assert.Contains("yet the API answered 201", violation.Message, StringComparison.Ordinal);
        Assert.Empty(refused);
    }

    [Fact]
    public async Task ARequestForNoOperationMustBeRefused404InTheErrorModel()
    {
        var exchange = await CreatePaymentExchangeAsync();
        var unknown = exchange with { Path = "/v1/no-such-thing" };

        var answered = Check(unknown);
        var refused = Check(unknown with { Status = 404, ResponseBody = Encoding.UTF8.GetBytes(ErrorBody) });

        Assert.Contains(answered, v => v.Rule == "paths" && v.Message.Contains("must be refused 404", StringComparison.Ordinal));
        Assert.Empty(refused);
    }

    [Fact]
    public async Task AnEventsDataObjectIsCheckedAsTheApiObjectItIs()
    {
        var payment = await CreatePaymentExchangeAsync();
        var id = JsonNode.Parse(payment.ResponseBody)!["id"]!.GetValue<string>();
        var listed = await Eventually.Until(() => platform.GetAsync("/v1/events?type=payment.*&limit=100"),
            r => r.Status == 200 && r.Json.GetProperty("data").EnumerateArray().Any(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == id),
            TimeSpan.FromSeconds(30), $"an event of payment {id}");
        var eventId = listed.Json.GetProperty("data").EnumerateArray()
            .First(e => e.GetProperty("data").GetProperty("object").GetProperty("id").GetString() == id).GetProperty("id").GetString();
        var exchange = await ExchangeAsync(HttpMethod.Get, $"/v1/events/{eventId}");

        var notAPayment = Check(exchange with
        {
            ResponseBody = Changed(exchange.ResponseBody, e => e["data"]!["object"]!.AsObject().Remove("state")),
        });

        Assert.Equal(200, exchange.Status);
        Assert.Empty(Check(exchange));
        Assert.Contains(notAPayment, v => v.Pointer.StartsWith("/data/object", StringComparison.Ordinal) && v.Message.Contains("state", StringComparison.Ordinal));
    }

    private const string ErrorBody = """{"error_code":"NOT_FOUND","message":"m","retryable":false,"correlation_id":"c"}""";
}
