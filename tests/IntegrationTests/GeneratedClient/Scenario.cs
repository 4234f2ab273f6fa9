// Compiled at test time together with the client NSwag generates from the served document (GeneratedClientTests), not
// with the test project: it uses only the generated types, as a merchant's integration would, so a name or a type the
// document gets wrong fails the compilation or the payment.
using System.Net.Http.Headers;

namespace Generated.PaymentsApi;

public static class Scenario
{
    /// <summary>Token, create (authorise only), get, capture in part, refund in part, capture again (refused): what each answered.</summary>
    public static async Task<List<(string Step, string State, long Amount, string Currency, long Captured, long Refunded)>> RunAsync(
        HttpClient http, string baseUrl, string clientId, string clientSecret, CancellationToken cancellation)
    {
        var client = new PaymentsApiClient(http) { BaseUrl = baseUrl };
        // grant_type is client_credentials by the document's default.
        var token = await client.CreateTokenAsync(new TokenRequest
        {
            Client_id = clientId,
            Client_secret = clientSecret,
        }, cancellation);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Access_token);

        var steps = new List<(string, string, long, string, long, long)>();
        void Record(string step, PaymentResponse p) => steps.Add((step, p.State, p.Amount_minor, p.Currency, p.Captured_minor, p.Refunded_minor));

        var created = await client.CreatePaymentAsync(idempotency_Key: Guid.NewGuid().ToString(), body: new CreatePaymentRequest
        {
            Amount_minor = 2599,
            Currency = "EUR",
            Capture = false,
            Reference = "generated-client",
            Card = new CardRequest { Number = "4242424242424242", Exp_month = 12, Exp_year = 2030, Cvc = "123" },
        }, cancellationToken: cancellation);
        Record("create", created);
        var id = created.Id.ToString();
        Record("get", await client.GetPaymentAsync(id, cancellation));
        Record("capture", await client.CapturePaymentAsync(id: id, idempotency_Key: Guid.NewGuid().ToString(),
            body: new CaptureRequest { Amount_minor = 2000 }, cancellationToken: cancellation));
        Record("refund", await client.RefundPaymentAsync(id: id, idempotency_Key: Guid.NewGuid().ToString(),
            body: new RefundRequest { Amount_minor = 500, Reason = "damaged" }, cancellationToken: cancellation));
        try
        {
            // No amount: capture in full, which a captured payment refuses.
            await client.CapturePaymentAsync(id: id, idempotency_Key: Guid.NewGuid().ToString(), body: new CaptureRequest(), cancellationToken: cancellation);
            steps.Add(("capture again", "ANSWERED 2xx", 0, "", 0, 0));
        }
        catch (ApiException<ApiError> refused)
        {
            steps.Add(("capture again", $"{refused.StatusCode} {refused.Result.Error_code} retryable={refused.Result.Retryable}", 0, "", 0, 0));
        }

        return steps;
    }
}
