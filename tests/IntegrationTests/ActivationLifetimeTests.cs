using System.Globalization;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Settled payments leave the silo's memory within seconds (live activations cost every silo CPU, BENCHMARKS.md
/// run N) and everything about them, idempotent replays included, comes back from PostgreSQL.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ActivationLifetimeTests(PlatformFixture platform)
{
    private const int Count = 20;

    [Fact]
    public async Task SettledPaymentsDeactivateWithinSecondsAndAnswerReplaysAndRefundsFromPostgresAfterwards()
    {
        var before = await DeactivationsOnIdleAsync("payment");
        var keys = Enumerable.Range(0, Count).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var created = await Task.WhenAll(keys.Select(key => platform.PostAsync("/v1/payments", Requests.Payment(amount: 500), key)));
        Assert.All(created, payment => Assert.Equal("CAPTURED", payment.State));

        // Each payment deactivates ten seconds after its answer; the collection age limit alone would keep it two minutes.
        await Eventually.Until(async () => await DeactivationsOnIdleAsync("payment") - before, deactivated => deactivated >= Count,
            TimeSpan.FromSeconds(45), $"all {Count} settled payments deactivated on idle");

        await platform.Redis.ExecuteAsync("FLUSHALL");
        foreach (var (key, original) in keys.Zip(created))
        {
            var replay = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 500), key);
            var refund = await platform.PostAsync($"/v1/payments/{original.Id}/refund", Requests.Amount(200));

            Assert.True(replay.Replayed);
            Assert.Equal(original.Body, replay.Body);
            Assert.Equal(200, refund.Status);
            Assert.Equal(("CAPTURED", 200L), (refund.State, refund.Json.GetProperty("refunded_minor").GetInt64()));
            Assert.Equal(1, await platform.PspChargeCountAsync(original.Id));
        }
    }

    [Fact]
    public async Task SettledPaymentsCostOrleansRemindersNoPostgresRoundTrip()
    {
        // Orleans' ADO.NET clustering and reminders use the raw connection string, so their Npgsql pool is the one
        // without the grains' prepared statements. A settled payment used to ask the reminder service for a
        // reminder it never had: one round trip and two transactions per payment.
        var before = await OrleansAdoNetOperationsAsync();
        var created = await Task.WhenAll(Enumerable.Range(0, 2 * Count).Select(_ => platform.PostAsync("/v1/payments", Requests.Payment(amount: 300))));
        var operations = await OrleansAdoNetOperationsAsync() - before;

        Assert.All(created, payment => Assert.Equal("CAPTURED", payment.State));
        // Membership heartbeats and table reads may fall into the window; one round trip per payment may not.
        Assert.True(operations < Count, $"{operations} PostgreSQL operations through Orleans' ADO.NET providers for {2 * Count} payments");
    }

    /// <summary>Npgsql operations on the pools without the grains' <c>Max Auto Prepare</c>, from the silo's /metrics.</summary>
    private async Task<long> OrleansAdoNetOperationsAsync()
    {
        // The grains' pool must be there to tell the two apart.
        Assert.True(await MetricSumAsync("db_client_operation_duration_seconds_count", line => line.Contains("Max Auto Prepare", StringComparison.Ordinal)) > 0);
        return await MetricSumAsync("db_client_operation_duration_seconds_count", line => !line.Contains("Max Auto Prepare", StringComparison.Ordinal));
    }

    /// <summary>Orleans' own count of activations of <paramref name="grainType"/> deactivated on request, from the silo's /metrics.</summary>
    private Task<long> DeactivationsOnIdleAsync(string grainType) =>
        MetricSumAsync("orleans_catalog_activation_shutdown_total", line => line.Contains($"grain_type=\"{grainType}\"", StringComparison.Ordinal)
            && line.Contains("via=\"deactivateOnIdle\"", StringComparison.Ordinal));

    /// <summary>The sum of the silo's /metrics series <paramref name="name"/> over the label sets <paramref name="matches"/> accepts.</summary>
    private async Task<long> MetricSumAsync(string name, Func<string, bool> matches)
    {
        var metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
        return metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && matches(line))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
