using System.Net.Http.Headers;

namespace Payments.Actors.IntegrationTests;

/// <summary>Above its in-flight limit the API refuses at once (503, Retry-After, the error model) instead of queueing into timeouts.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AdmissionControlTests(PlatformFixture platform)
{
    [Fact]
    public async Task RequestsBeyondTheInFlightLimitAreRefusedFastWithRetryAfterAndTheRestSucceed()
    {
        var (apiFront, url) = await platform.StartApiFrontAsync(new Dictionary<string, string> { ["Api__InFlightRequestsMax"] = "2" });
        var token = await platform.TokenAsync(PlatformFixture.MerchantA);
        try
        {
            // Hold PSP A's answers back so that requests stay in flight long enough to overlap.
            await SetPspALatencyAsync(400);
            var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v1/payments")
                {
                    Content = new StringContent(Requests.Payment(), System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                using var response = await platform.Http.SendAsync(request, TestContext.Current.CancellationToken);
                return (Status: (int)response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta,
                    Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }));

            var refused = responses.Where(r => r.Status == 503).ToList();
            Assert.NotEmpty(refused);
            Assert.Contains(responses, r => r.Status == 201);
            Assert.All(responses, r => Assert.True(r.Status is 201 or 503, $"unexpected {r.Status}: {r.Body}"));
            Assert.All(refused, r =>
            {
                Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter);
                Assert.Contains("\"error_code\":\"OVERLOADED\"", r.Body, StringComparison.Ordinal);
                Assert.Contains("\"retryable\":true", r.Body, StringComparison.Ordinal);
            });
        }
        finally
        {
            await SetPspALatencyAsync(0);
            await apiFront.StopAsync(TimeSpan.FromSeconds(20));
        }
    }

    private async Task SetPspALatencyAsync(int milliseconds)
    {
        using var content = new StringContent($$"""{"latency_ms":{{milliseconds}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await platform.Http.PutAsync($"{platform.PspUrl}/admin/faults/psp-a", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
