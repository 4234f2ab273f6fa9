using System.Net.Http.Headers;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>Every answer names its request in a Request-Id header; an error's correlation_id is the same id.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RequestIdTests(PlatformFixture platform)
{
    [Fact]
    public async Task ASuccessfulAnswerCarriesARequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ApiUrl}/v1/payments?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync(PlatformFixture.MerchantA));

        using var response = await platform.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(response.Headers.GetValues("Request-Id")));
    }

    [Fact]
    public async Task AnErrorsCorrelationIdIsItsRequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ApiUrl}/v1/payments?limit=abc");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync(PlatformFixture.MerchantA));

        using var response = await platform.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(body.GetProperty("correlation_id").GetString(), Assert.Single(response.Headers.GetValues("Request-Id")));
    }

    [Fact]
    public async Task AnUnauthenticatedRefusalCarriesARequestIdToo()
    {
        using var response = await platform.Http.GetAsync($"{platform.ApiUrl}/v1/payments", TestContext.Current.CancellationToken);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Single(response.Headers.GetValues("Request-Id"));
    }
}
