using System.Net.Http.Json;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>The PSP simulator (faults, stats, charges, disputes) and the PSPs' settings and health as the silo serving the API has them.</summary>
public sealed partial class PlatformFixture
{
    /// <summary>The PSP request timeout the silo runs with; the slow test card answers after twice as long.</summary>
    public static readonly TimeSpan PspRequestTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Short breaker and health windows so a test that breaks PSP A can wait for it to come back.</summary>
    public static readonly TimeSpan PspBreakDuration = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan PspHealthWindow = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The ratio rule's minimum volume, out of reach. Its window is 60 s of every attempt to a PSP, so one test's
    /// injected failures would still count in the next test's and could open the breaker there (CI once saw that).
    /// Tests of the ratio rule set their own volume through the operator API; unit tests cover it on a fake clock.
    /// </summary>
    public const int PspBreakerThroughputMin = 100_000;

    /// <summary>Sets the simulator's faults for one provider (<c>PUT /admin/faults/{provider}</c>).</summary>
    public async Task SetFaultsAsync(string provider, string json)
    {
        using var response = await Http.PutAsync($"{PspUrl}/admin/faults/{provider}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT faults {provider}: {(int)response.StatusCode}");
    }

    /// <summary>Clears the simulator's faults for one provider.</summary>
    public async Task ResetFaultsAsync(string provider)
    {
        using var response = await Http.DeleteAsync($"{PspUrl}/admin/faults/{provider}");
        Assert.True(response.IsSuccessStatusCode, $"DELETE faults {provider}: {(int)response.StatusCode}");
    }

    /// <summary>One PSP as the operator API shows it on the silo serving the API: kill switch, overrides and live health.</summary>
    public async Task<JsonElement> PspStatusAsync(string psp)
    {
        var list = await GetAsync("/v1/operator/psps", clientId: Operator);
        Assert.True(list.Status == 200, list.ToString());
        return list.Json.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("psp").GetString() == psp);
    }

    /// <summary>The providers the simulator plays and the silo routes to.</summary>
    public static readonly IReadOnlyList<string> PspNames = ["psp-a", "psp-b", "bank"];

    /// <summary>
    /// The known state a test that depends on PSP routing or health starts from, whatever the tests before it did:
    /// no fault injected at any provider, and on the silo serving the API every PSP's breaker closed with an empty
    /// health window (the operator's reset, <c>DELETE /v1/operator/psps/{psp}/health</c>, seen applied there), so
    /// routing's configured order holds: PSP A first.
    /// </summary>
    public async Task StartFromHealthyPspsAsync()
    {
        var applied = new Dictionary<string, long>();
        foreach (var psp in PspNames)
        {
            await ResetFaultsAsync(psp);
            applied[psp] = (await PspStatusAsync(psp)).GetProperty("health").GetProperty("health_resets").GetInt64();
            var reset = await SendAsync(HttpMethod.Delete, $"/v1/operator/psps/{psp}/health", clientId: Operator);
            Assert.True(reset.Status == 200, reset.ToString());
        }

        await Eventually.Until(() => GetAsync("/v1/operator/psps", clientId: Operator),
            r => r.Status == 200 && r.Json.GetProperty("data").EnumerateArray().All(
                p => p.GetProperty("health").GetProperty("health_resets").GetInt64() > applied[p.GetProperty("psp").GetString()!]),
            TimeSpan.FromSeconds(10), () => $"every PSP's health reset applied on the silo serving the API\n{LogsOfSilo()}");
    }

    /// <summary>Waits until the silo serving the API has the setting in force (its refresher polls the operators' changes).</summary>
    public Task WaitForPspSettingAsync(string psp, string setting, double value) =>
        Eventually.Until(async () => (await PspStatusAsync(psp)).GetProperty("health").GetProperty("settings").GetProperty(setting).GetDouble(),
            inForce => inForce.Equals(value), TimeSpan.FromSeconds(10), () => $"{psp} {setting} = {value} in force\n{LogsOfSilo()}");

    public async Task<JsonElement> PspStatsAsync(string provider) =>
        await Http.GetFromJsonAsync<JsonElement>($"{PspUrl}/admin/stats/{provider}");

    /// <summary>Charges one provider recorded for one of our payments.</summary>
    public async Task<int> PspChargeCountAsync(string provider, Guid paymentId)
    {
        var list = await Http.GetFromJsonAsync<JsonElement>($"{PspUrl}/admin/charges/{provider}?reference={paymentId:N}");
        return list.GetProperty("charges").GetArrayLength();
    }

    /// <summary>
    /// Charges the card PSPs recorded for one of our payments (their reference is the payment id), summed
    /// over PSP A and PSP B: live-health routing may pick either, and "charged once" must hold wherever.
    /// </summary>
    public async Task<int> PspChargeCountAsync(Guid paymentId) =>
        await PspChargeCountAsync("psp-a", paymentId) + await PspChargeCountAsync("psp-b", paymentId);

    /// <summary>The PSP's operator opens a dispute on the charge of one of our payments; the PSP then notifies us. Its dispute id.</summary>
    public async Task<string> OpenDisputeAtPspAsync(string psp, Guid paymentId, long amount)
    {
        using var response = await Http.PostAsJsonAsync($"{PspUrl}/admin/disputes/{psp}",
            new { reference = paymentId.ToString("N"), amount, reason = "fraudulent" }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"open dispute: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
    }
}
