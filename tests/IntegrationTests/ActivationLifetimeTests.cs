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
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(45);
        var deactivated = 0L;
        while ((deactivated = await DeactivationsOnIdleAsync("payment") - before) < Count && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.True(deactivated >= Count, $"{deactivated} of {Count} settled payments deactivated within 45 s");

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

    /// <summary>Orleans' own count of activations of <paramref name="grainType"/> deactivated on request, from the silo's /metrics.</summary>
    private async Task<long> DeactivationsOnIdleAsync(string grainType)
    {
        var metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
        return metrics.Split('\n')
            .Where(line => line.StartsWith("orleans_catalog_activation_shutdown_total{", StringComparison.Ordinal)
                && line.Contains($"grain_type=\"{grainType}\"", StringComparison.Ordinal)
                && line.Contains("via=\"deactivateOnIdle\"", StringComparison.Ordinal))
            .Sum(line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
