namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The operator API over HTTP: the PSP kill switch takes effect within seconds, is audited, and is
/// closed to merchants. Every test starts with every breaker closed and an empty health window, and every test that
/// switches a PSP off switches it back on, whatever happens.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OperatorApiTests(PlatformFixture platform) : IAsyncLifetime
{
    public ValueTask InitializeAsync() => new(platform.StartFromHealthyPspsAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static readonly TimeSpan SwitchDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SwitchingPspAOffSendsNewPaymentsToPspBWithinSecondsIsAuditedAndSwitchingItBackOnRestoresPspA()
    {
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            var off = await SetEnabledAsync("psp-a", enabled: false);
            Assert.Equal(200, off.Status);
            Assert.False(off.Json.GetProperty("enabled").GetBoolean());
            Assert.Equal(PlatformFixture.Operator, off.Json.GetProperty("updated_by").GetString());

            var first = await WaitForPaymentAtAsync("psp-b", amount: 4100, SwitchDeadline);
            Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", first.Id));

            // Once the switch is seen, every new payment goes to PSP B and PSP A never sees it.
            for (var i = 0; i < 3; i++)
            {
                var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 4110 + i));
                Assert.Equal(201, created.Status);
                Assert.Equal("psp-b", created.Json.GetProperty("psp").GetString());
                Assert.Equal(1, await platform.PspChargeCountAsync("psp-b", created.Id));
                Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", created.Id));
            }

            var list = await platform.GetAsync("/v1/operator/psps", clientId: PlatformFixture.Operator);
            Assert.Equal(200, list.Status);
            var pspA = list.Json.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("psp").GetString() == "psp-a");
            Assert.False(pspA.GetProperty("enabled").GetBoolean());
            Assert.False(string.IsNullOrEmpty(pspA.GetProperty("health").GetProperty("breaker_state").GetString()));
            Assert.True(pspA.GetProperty("health").TryGetProperty("bulkhead_rejections", out _));

            var audit = await platform.GetAsync("/v1/operator/psps/psp-a/audit", clientId: PlatformFixture.Operator);
            Assert.Equal(200, audit.Status);
            var newest = audit.Json.GetProperty("data")[0];
            Assert.Equal("enabled", newest.GetProperty("field").GetString());
            Assert.Equal("true", newest.GetProperty("old_value").GetString());
            Assert.Equal("false", newest.GetProperty("new_value").GetString());
            Assert.Equal(PlatformFixture.Operator, newest.GetProperty("changed_by").GetString());
            Assert.InRange(newest.GetProperty("changed_at").GetDateTimeOffset(), startedAt.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        }
        finally
        {
            var on = await SetEnabledAsync("psp-a", enabled: true);
            Assert.Equal(200, on.Status);
        }

        var back = await WaitForPaymentAtAsync("psp-a", amount: 4200, RecoveryDeadline);
        Assert.Equal(0, await platform.PspChargeCountAsync("psp-b", back.Id));

        var trail = await platform.GetAsync("/v1/operator/psps/psp-a/audit", clientId: PlatformFixture.Operator);
        var entries = trail.Json.GetProperty("data");
        Assert.Equal("false", entries[0].GetProperty("old_value").GetString());
        Assert.Equal("true", entries[0].GetProperty("new_value").GetString());
        Assert.True(entries[0].GetProperty("id").GetInt64() > entries[1].GetProperty("id").GetInt64(), "The audit trail is newest first.");
    }

    [Fact]
    public async Task AMerchantTokenIsForbiddenOnTheOperatorApi()
    {
        var list = await platform.GetAsync("/v1/operator/psps", clientId: PlatformFixture.MerchantA);
        var set = await platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-a", """{"enabled":false}""", clientId: PlatformFixture.MerchantA);
        var audit = await platform.GetAsync("/v1/operator/psps/psp-a/audit", clientId: PlatformFixture.MerchantA);

        foreach (var response in new[] { list, set, audit })
        {
            Assert.Equal(403, response.Status);
            Assert.Equal("FORBIDDEN", response.ErrorCode);
        }
    }

    [Fact]
    public async Task AnUnknownPspIsNotFoundInTheErrorModel()
    {
        var set = await SetEnabledAsync("psp-nowhere", enabled: false);
        var audit = await platform.GetAsync("/v1/operator/psps/psp-nowhere/audit", clientId: PlatformFixture.Operator);

        Assert.Equal(404, set.Status);
        Assert.Equal("NOT_FOUND", set.ErrorCode);
        Assert.Equal(404, audit.Status);
        Assert.Equal("NOT_FOUND", audit.ErrorCode);
    }

    [Fact]
    public async Task AMalformedBodyIsABadRequestInTheErrorModelAndChangesNothing()
    {
        var wrongType = await platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-a", """{"enabled":"no"}""", clientId: PlatformFixture.Operator);
        var missing = await platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-a", "{}", clientId: PlatformFixture.Operator);
        var notJson = await platform.SendAsync(HttpMethod.Put, "/v1/operator/psps/psp-a", "{enabled", clientId: PlatformFixture.Operator);

        Assert.Equal(400, wrongType.Status);
        Assert.Equal("INVALID_JSON", wrongType.ErrorCode);
        Assert.Equal(400, missing.Status);
        Assert.Equal("VALIDATION_FAILED", missing.ErrorCode);
        Assert.Equal(400, notJson.Status);
        Assert.Equal("INVALID_JSON", notJson.ErrorCode);
        var list = await platform.GetAsync("/v1/operator/psps", clientId: PlatformFixture.Operator);
        Assert.True(list.Json.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("psp").GetString() == "psp-a").GetProperty("enabled").GetBoolean());
    }

    private Task<ApiResponse> SetEnabledAsync(string psp, bool enabled) =>
        platform.SendAsync(HttpMethod.Put, $"/v1/operator/psps/{psp}", enabled ? """{"enabled":true}""" : """{"enabled":false}""",
            clientId: PlatformFixture.Operator);

    /// <summary>Creates payments until one is charged at <paramref name="psp"/>, bounded by <paramref name="deadline"/>.</summary>
    private async Task<ApiResponse> WaitForPaymentAtAsync(string psp, long amount, TimeSpan deadline)
    {
        ApiResponse? last = null;
        await Eventually.Until(async () =>
        {
            last = await platform.PostAsync("/v1/payments", Requests.Payment(amount: amount));
            return last.Status == 201 && last.Json.GetProperty("psp").GetString() == psp && await platform.PspChargeCountAsync(psp, last.Id) == 1;
        }, deadline, () => $"a payment charged at {psp}; last answer {last}\n{platform.LogsOfSilo()}");
        return last!;
    }
}
