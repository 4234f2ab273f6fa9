using System.Net;
using System.Text;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulatorTests;

public sealed class SignatureTests(SignedSimulatorFixture fixture) : IClassFixture<SignedSimulatorFixture>
{
    private const string Payments = "/psp-a/v1/payments";
    private readonly SimulatorHost _host = fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task CorrectlySignedCommandIsAccepted()
    {
        var body = Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242");

        using var response = await SendAsync(HttpMethod.Post, Payments, body, Sign("POST", Payments, body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnsignedCommandIsRejectedWith401()
    {
        using var response = await SendAsync(HttpMethod.Post, Payments, Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242"), signature: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_signature", (await SimulatorHost.ReadJsonAsync(response, Ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task CommandSignedWithAnotherSecretIsRejected()
    {
        var body = Bodies.PspBTransaction(Bodies.NewReference(), "4242424242424242");
        var signature = RequestSignature.Sign("another-secret-0123456789", Now, "POST", "/psp-b/api/transactions", body);

        using var response = await SendAsync(HttpMethod.Post, "/psp-b/api/transactions", body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StaleSignatureIsRejected()
    {
        var body = Bodies.PspAPayment(Bodies.NewReference(), "4242424242424242");
        var signature = RequestSignature.Sign(SignedSimulatorFixture.Secret, Now - 301, "POST", Payments, body);

        using var response = await SendAsync(HttpMethod.Post, Payments, body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignatureOverAnotherBodyIsRejected()
    {
        var reference = Bodies.NewReference();
        var signature = Sign("POST", Payments, Bodies.PspAPayment(reference, "4242424242424242", amount: 1000));

        using var response = await SendAsync(HttpMethod.Post, Payments, Bodies.PspAPayment(reference, "4242424242424242", amount: 100_000), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await _host.ChargesAsync("psp-a", reference, Ct)).EnumerateArray());
    }

    [Fact]
    public async Task InquiryMustBeSignedToo()
    {
        var key = Bodies.NewKey();
        var body = Bodies.BankTransfer(Bodies.NewReference(), "DE89370400440532013000", "10.00");
        using var created = await SendAsync(HttpMethod.Post, "/bank/v2/transfers", body, Sign("POST", "/bank/v2/transfers", body), key);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var path = $"/bank/v1/requests/{key}";

        using var unsigned = await SendAsync(HttpMethod.Get, path, body: null, signature: null);
        using var signed = await SendAsync(HttpMethod.Get, path, body: null, Sign("GET", path, ""));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
    }

    [Fact]
    public async Task AdminEndpointsAreNotSigned()
    {
        using var response = await _host.Client.GetAsync("/admin/stats/psp-a", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Sign(string method, string pathAndQuery, string body) =>
        RequestSignature.Sign(SignedSimulatorFixture.Secret, Now, method, pathAndQuery, body);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? signature, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Headers.Add("Idempotency-Key", idempotencyKey ?? Bodies.NewKey());
        }

        if (signature is not null)
        {
            request.Headers.Add(RequestSignature.HeaderName, signature);
        }

        return await _host.Client.SendAsync(request, Ct);
    }
}
