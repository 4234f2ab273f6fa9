using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Runtime thresholds through the operator API against the PSP simulator over HTTP: validation, a
/// lowered timeout and a routing priority in force on the next payments and audited, the bulkhead
/// isolating a slow PSP A from PSP B, the 20 % failure-ratio breaker, and the kill switch across two
/// silos, and the operator's reset of breaker and health. Every test starts with no faults and every breaker closed
/// with an empty health window, and puts thresholds, switches and faults back, whatever happens.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PspRuntimeControlTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan PropagationDeadline = TimeSpan.FromSeconds(10);

    public ValueTask InitializeAsync() => new(platform.StartFromHealthyPspsAsync());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task NonsenseThresholdsAreRefusedWithTheFieldNamedAndChangeNothing()
    {
        var budget = await PutAsync("psp-a", """{"request_timeout_ms":9000}""");
        var ratio = await PutAsync("psp-a", """{"breaker_failure_ratio":1.5}""");
        var bulkhead = await PutAsync("psp-a", """{"retry_attempts_max":1,"bulkhead_concurrency_max":0}""");
        var fraction = await PutAsync("psp-a", """{"retry_attempts_max":1.5}""");
        var unknown = await PutAsync("psp-a", """{"request_timeout":100}""");

        foreach (var (response, field) in new[]
        {
            (budget, "request_timeout_ms"), (ratio, "breaker_failure_ratio"), (bulkhead, "bulkhead_concurrency_max"), (fraction, "retry_attempts_max"),
        })
        {
            Assert.Equal(400, response.Status);
            Assert.Equal(field, response.Json.GetProperty("field").GetString());
            Assert.Contains(field, response.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("VALIDATION_FAILED", budget.ErrorCode);
        Assert.Equal("VALIDATION_FAILED", bulkhead.ErrorCode);
        Assert.Equal(400, unknown.Status);
        var pspA = await StatusAsync("psp-a");
        Assert.Empty(pspA.GetProperty("overrides").EnumerateObject());
        Assert.Equal(PlatformFixture.PspRequestTimeout.TotalMilliseconds, Setting(pspA, "request_timeout_ms"));
        Assert.Equal(2, Setting(pspA, "retry_attempts_max"));
    }

    [Fact]
    public async Task LoweringTheRequestTimeoutMakesTheNextSlowCallTimeOutAndTheAuditShowsOldAndNew()
    {
        var configured = (long)PlatformFixture.PspRequestTimeout.TotalMilliseconds;
        await platform.SetFaultsAsync("psp-a", """{"latency_ms":700}""");
        try
        {
            // Under the configured timeout the slow PSP A still answers.
            var slowButFine = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5100));
            Assert.Equal((201, "psp-a"), (slowButFine.Status, slowButFine.Json.GetProperty("psp").GetString()));

            var changed = await PutAsync("psp-a", """{"request_timeout_ms":250,"retry_attempts_max":0}""");
            Assert.Equal(200, changed.Status);
            Assert.Equal(250, changed.Json.GetProperty("overrides").GetProperty("request_timeout_ms").GetDouble());
            await WaitForSettingAsync("psp-a", "request_timeout_ms", 250);

            var timedOut = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5101));
            Assert.Equal(202, timedOut.Status);
            Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND psp = 'psp-a'", timedOut.Id));
            Assert.Equal(0, await platform.PspChargeCountAsync("psp-b", timedOut.Id));

            var audit = await platform.GetAsync("/v1/operator/psps/psp-a/audit?limit=2", clientId: PlatformFixture.Operator);
            var entries = audit.Json.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("field").GetString()!);
            Assert.Equal(configured.ToString(CultureInfo.InvariantCulture), entries["request_timeout_ms"].GetProperty("old_value").GetString());
            Assert.Equal("250", entries["request_timeout_ms"].GetProperty("new_value").GetString());
            Assert.Equal("2", entries["retry_attempts_max"].GetProperty("old_value").GetString());
            Assert.Equal("0", entries["retry_attempts_max"].GetProperty("new_value").GetString());
            Assert.All(entries.Values, e => Assert.Equal(PlatformFixture.Operator, e.GetProperty("changed_by").GetString()));
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
            Assert.Equal(200, (await ResetAsync("psp-a")).Status);
        }

        await WaitForSettingAsync("psp-a", "request_timeout_ms", configured);
        var newest = (await platform.GetAsync("/v1/operator/psps/psp-a/audit?limit=2", clientId: PlatformFixture.Operator)).Json.GetProperty("data")
            .EnumerateArray().Single(e => e.GetProperty("field").GetString() == "request_timeout_ms");
        Assert.Equal(("250", configured.ToString(CultureInfo.InvariantCulture)),
            (newest.GetProperty("old_value").GetString(), newest.GetProperty("new_value").GetString()));
    }

    [Fact]
    public async Task ALowerRoutingPriorityForPspBSendsNewPaymentsThereUntilItIsReset()
    {
        try
        {
            Assert.Equal(200, (await PutAsync("psp-b", """{"routing_priority":10}""")).Status);
            await WaitForSettingAsync("psp-b", "routing_priority", 10);
            var metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
            Assert.Contains(metrics.Split('\n'), line => line.StartsWith("psp_setting{", StringComparison.Ordinal)
                && line.Contains("psp=\"psp-b\"", StringComparison.Ordinal) && line.Contains("setting=\"routing_priority\"", StringComparison.Ordinal)
                && line.Split(' ')[1] == "10");

            for (var i = 0; i < 3; i++)
            {
                var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5200 + i));
                Assert.Equal((201, "psp-b"), (created.Status, created.Json.GetProperty("psp").GetString()));
                Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", created.Id));
            }
        }
        finally
        {
            Assert.Equal(200, (await ResetAsync("psp-b")).Status);
        }

        await WaitForSettingAsync("psp-b", "routing_priority", 100);
        var back = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5210));
        Assert.Equal((201, "psp-a"), (back.Status, back.Json.GetProperty("psp").GetString()));
    }

    [Fact]
    public async Task WhilePspAIsSlowAndItsBulkheadFullExcessCallsFailFastAndPspBPaymentsKeepTheirLatency()
    {
        const int slowMs = 4000;
        var bound = TimeSpan.FromMilliseconds(slowMs / 2.0);
        var slow = new List<Task<ApiResponse>>();
        var rejectionsBefore = (await StatusAsync("psp-a")).GetProperty("health").GetProperty("bulkhead_rejections").GetInt64();
        try
        {
            // PSP A: two calls at a time, no queue, and patient enough to wait for the slow answers.
            Assert.Equal(200, (await PutAsync("psp-a",
                """{"bulkhead_concurrency_max":2,"bulkhead_queue_max":0,"request_timeout_ms":6000,"adapter_budget_total_ms":8000,"retry_attempts_max":0}""")).Status);
            Assert.Equal(200, (await PutAsync("psp-b", """{"enabled":false}""")).Status);
            await WaitForSettingAsync("psp-a", "bulkhead_concurrency_max", 2);
            await WaitForEnabledAsync("psp-b", enabled: false);
            await platform.SetFaultsAsync("psp-a", $$"""{"latency_ms":{{slowMs}}}""");

            var received = ReceivedAsync("psp-a");
            var before = await received;
            slow.Add(platform.PostAsync("/v1/payments", Requests.Payment(amount: 5300)));
            slow.Add(platform.PostAsync("/v1/payments", Requests.Payment(amount: 5301)));
            await WaitUntilAsync(async () => await ReceivedAsync("psp-a") >= before + 2, "PSP A never received the two slow calls");

            // Only PSP A is on and its bulkhead is full: refused at once, retryable, never sent.
            var clock = Stopwatch.StartNew();
            var refused = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5302));
            var refusedAfter = clock.Elapsed;
            Assert.Equal(503, refused.Status);
            Assert.Equal("PSP_UNAVAILABLE", refused.ErrorCode);
            Assert.True(refused.Json.GetProperty("retryable").GetBoolean());
            Assert.True(refusedAfter < bound, $"The refusal took {refusedAfter.TotalMilliseconds:0} ms while PSP A holds its calls for {slowMs} ms.");

            // PSP B back on: payments fail over from A's full bulkhead and keep B's latency.
            Assert.Equal(200, (await PutAsync("psp-b", """{"enabled":true}""")).Status);
            await WaitForEnabledAsync("psp-b", enabled: true);
            for (var i = 0; i < 3; i++)
            {
                clock.Restart();
                var viaB = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5310 + i));
                var took = clock.Elapsed;
                Assert.Equal((201, "psp-b"), (viaB.Status, viaB.Json.GetProperty("psp").GetString()));
                Assert.True(took < bound, $"A PSP B payment took {took.TotalMilliseconds:0} ms while PSP A holds its calls for {slowMs} ms.");
                Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", viaB.Id));
            }

            var rejections = (await StatusAsync("psp-a")).GetProperty("health").GetProperty("bulkhead_rejections").GetInt64() - rejectionsBefore;
            Assert.True(rejections >= 4, $"Expected at least 4 bulkhead rejections, saw {rejections}.");

            // The calls that held the bulkhead were not dropped: they finish at PSP A.
            foreach (var done in await Task.WhenAll(slow))
            {
                Assert.Equal((201, "psp-a"), (done.Status, done.Json.GetProperty("psp").GetString()));
                Assert.Equal(1, await platform.PspChargeCountAsync("psp-a", done.Id));
            }
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
            await Task.WhenAll(slow);
            await PutAsync("psp-b", """{"enabled":true}""");
            await ResetAsync("psp-a");
        }

        await WaitForSettingAsync("psp-a", "bulkhead_concurrency_max", 128);
        await WaitForEnabledAsync("psp-b", enabled: true);
    }

    [Fact]
    public async Task OneFailedAttemptInThreeAboveTheMinimumVolumeOpensTheBreakerWithoutTenInARow()
    {
        var faultedBefore = (await platform.PspStatsAsync("psp-a")).GetProperty("requests_faulted").GetInt64();
        ApiResponse failedOver;
        var faultsInjected = 0;
        try
        {
            // A fresh pipeline with a long break, so the open breaker can be observed.
            Assert.Equal(200, (await PutAsync("psp-a", """{"breaker_throughput_min":10,"break_duration_ms":30000}""")).Status);
            await WaitForSettingAsync("psp-a", "breaker_throughput_min", 10);

            // Every third payment meets one 503 and succeeds on its retry: 1 failed attempt in 4 (25 %), never two in a row.
            // The breaker opens on a failed attempt; that payment's retry is refused, so it stays pending at PSP A (the 503 is ambiguous).
            var open = false;
            for (var i = 0; i < 60 && !open; i++)
            {
                if (i % 3 == 0)
                {
                    await platform.SetFaultsAsync("psp-a", """{"fail_next":1}""");
                    faultsInjected++;
                }

                var created = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5400 + i));
                var status = await StatusAsync("psp-a");
                open = status.GetProperty("health").GetProperty("breaker_state").GetString() == "Open";
                Assert.True(created.Status == 201 || (open && created.Status == 202), $"{created}\n{status}");
                Assert.True(open || created.Json.GetProperty("psp").GetString() == "psp-a", $"{created}\n{status}");
            }

            Assert.True(open, "PSP A's breaker did not open.");
            failedOver = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5480));
            Assert.Equal((201, "psp-b"), (failedOver.Status, failedOver.Json.GetProperty("psp").GetString()));
            var health = (await StatusAsync("psp-a")).GetProperty("health");
            Assert.Equal("Open", health.GetProperty("breaker_state").GetString());
            Assert.True(health.GetProperty("breaker_rejections").GetInt64() >= 1);
            Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", failedOver.Id));
            var faulted = (await platform.PspStatsAsync("psp-a")).GetProperty("requests_faulted").GetInt64() - faultedBefore;
            Assert.InRange(faulted, 3, faultsInjected);
            Assert.True(faulted < 10, "Opened by volume and ratio, not by ten failures in a row.");
        }
        finally
        {
            await platform.ResetFaultsAsync("psp-a");
        }

        try
        {
            // The break lasts 30 s: only the operator's reset can close the breaker now, and the next payment goes to PSP A.
            var reset = await platform.SendAsync(HttpMethod.Delete, "/v1/operator/psps/psp-a/health", clientId: PlatformFixture.Operator);
            Assert.Equal(200, reset.Status);
            await WaitUntilAsync(async () => (await StatusAsync("psp-a")).GetProperty("health").GetProperty("breaker_state").GetString() == "Closed",
                "PSP A's breaker was not closed by the reset");
            var back = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 5490));
            Assert.Equal((201, "psp-a"), (back.Status, back.Json.GetProperty("psp").GetString()));
            Assert.Equal(1, await platform.PspChargeCountAsync("psp-a", back.Id));

            var newest = (await platform.GetAsync("/v1/operator/psps/psp-a/audit?limit=1", clientId: PlatformFixture.Operator)).Json.GetProperty("data")[0];
            Assert.Equal(("health_reset", PlatformFixture.Operator), (newest.GetProperty("field").GetString(), newest.GetProperty("changed_by").GetString()));
            Assert.Equal(long.Parse(newest.GetProperty("old_value").GetString()!, CultureInfo.InvariantCulture) + 1,
                long.Parse(newest.GetProperty("new_value").GetString()!, CultureInfo.InvariantCulture));
        }
        finally
        {
            await ResetAsync("psp-a");
        }
    }

    [Fact]
    public async Task SwitchingPspAOffThroughOneSiloStopsItsTrafficOnTheOtherSiloWithinSeconds()
    {
        var (second, secondUrl) = await platform.StartExtraSiloWithApiAsync();
        try
        {
            var beforeSwitch = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(amount: 5500), Guid.NewGuid().ToString(),
                baseUrl: secondUrl);
            Assert.Equal((201, "psp-a"), (beforeSwitch.Status, beforeSwitch.Json.GetProperty("psp").GetString()));

            Assert.Equal(200, (await PutAsync("psp-a", """{"enabled":false}""")).Status);
            await WaitUntilAsync(async () => (await ViaAsync(secondUrl, 5501)).Json.GetProperty("psp").GetString() == "psp-b",
                "The second silo kept sending payments to PSP A");

            for (var i = 0; i < 5; i++)
            {
                var created = await ViaAsync(secondUrl, 5510 + i);
                Assert.Equal((201, "psp-b"), (created.Status, created.Json.GetProperty("psp").GetString()));
                Assert.Equal(0, await platform.PspChargeCountAsync("psp-a", created.Id));
            }

            // And back on, this time through the second silo's operator API.
            Assert.Equal(200, (await PutAsync("psp-a", """{"enabled":true}""", secondUrl)).Status);
            await WaitUntilAsync(async () => (await ViaAsync(secondUrl, 5520)).Json.GetProperty("psp").GetString() == "psp-a",
                "The second silo did not send payments to PSP A again");
            await WaitUntilAsync(async () => (await ViaAsync(platform.ApiUrl, 5521)).Json.GetProperty("psp").GetString() == "psp-a",
                "The first silo did not send payments to PSP A again");
        }
        finally
        {
            await PutAsync("psp-a", """{"enabled":true}""");
            await second.StopAsync(TimeSpan.FromSeconds(30));
        }
    }

    private Task<ApiResponse> ViaAsync(string baseUrl, long amount) =>
        platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(amount: amount), Guid.NewGuid().ToString(), baseUrl: baseUrl);

    private Task<ApiResponse> PutAsync(string psp, string json, string? baseUrl = null) =>
        platform.SendAsync(HttpMethod.Put, $"/v1/operator/psps/{psp}", json, clientId: PlatformFixture.Operator, baseUrl: baseUrl);

    private Task<ApiResponse> ResetAsync(string psp) =>
        platform.SendAsync(HttpMethod.Delete, $"/v1/operator/psps/{psp}/overrides", clientId: PlatformFixture.Operator);

    private Task<JsonElement> StatusAsync(string psp) => platform.PspStatusAsync(psp);

    private static double Setting(JsonElement status, string name) => status.GetProperty("health").GetProperty("settings").GetProperty(name).GetDouble();

    private async Task<long> ReceivedAsync(string provider) => (await platform.PspStatsAsync(provider)).GetProperty("requests_received").GetInt64();

    private Task WaitForSettingAsync(string psp, string name, double value) => platform.WaitForPspSettingAsync(psp, name, value);

    private Task WaitForEnabledAsync(string psp, bool enabled) =>
        WaitUntilAsync(async () => (await StatusAsync(psp)).GetProperty("health").GetProperty("enabled").GetBoolean() == enabled,
            $"{psp} was not {(enabled ? "on" : "off")} in force");

    private Task WaitUntilAsync(Func<Task<bool>> condition, string failure, TimeSpan? deadline = null) =>
        Eventually.Until(condition, deadline ?? PropagationDeadline, () => $"{failure}\n{platform.LogsOfSilo()}");
}
