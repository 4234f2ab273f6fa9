using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// A posting removed behind the ledger's back, on a platform of its own: verify reports the gap with its payment and the
/// broken hash chain, the repair posts the missing posting once, and the chain keeps the evidence, which is why this
/// test does not share the other tests' database.
/// </summary>
[Collection(TamperedPlatformCollection.Name)]
public sealed class LedgerTamperTests(PlatformFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task APostingDeletedBehindTheLedgersBackIsReportedWithItsPaymentAndRepairedOnce()
    {
        var paid = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 7_300));
        Assert.Equal("CAPTURED", paid.State);
        await WaitUntilAsync(async () => await EntriesOfAsync(paid.Id) == 2, "the capture's posting");
        var eventId = await EventIdAsync(paid.Id, "payment.captured");
        await WaitUntilAsync(async () => await platform.ScalarAsync(
            """
            SELECT count(*) FROM ledger_entries e
             WHERE e.payment_id = $1
               AND EXISTS (SELECT 1 FROM ledger_chain_anchors a WHERE a.chain_shard = e.chain_shard AND a.chain_seq >= e.chain_seq)
            """, paid.Id) == 2, "the posting's chain anchored past it");

        // Bypass the append-only guard, as only someone with the database's owner rights could.
        await ExecuteAsync(
            "ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update_delete; " +
            $"DELETE FROM ledger_entries WHERE payment_id = '{paid.Id}'; " +
            "ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_no_update_delete;");
        Assert.Equal(0, await EntriesOfAsync(paid.Id));

        var verify = await VerifyAsync();
        Assert.Equal((409, "LEDGER_TAMPERED"), (verify.Status, verify.ErrorCode));
        Assert.True(verify.Json.GetProperty("balanced").GetBoolean(), verify.Text);
        Assert.False(verify.Json.GetProperty("complete").GetBoolean());
        Assert.False(verify.Json.GetProperty("chain_intact").GetBoolean());
        var ours = ProblemsOf(verify, paid.Id);
        Assert.Equal("missing_posting payment_mismatch", string.Join(' ', ours.Select(p => p.GetProperty("kind").GetString()).Order()));
        Assert.Equal(eventId, ours.Single(p => p.GetProperty("kind").GetString() == "missing_posting").GetProperty("event_id").GetGuid());

        var repaired = await RepairAsync();
        var again = await RepairAsync();

        Assert.Equal(200, repaired.Status);
        Assert.True(repaired.Json.GetProperty("posted").GetInt32() >= 1, repaired.Text);
        Assert.DoesNotContain(repaired.Json.GetProperty("unrepairable").EnumerateArray(), p => PaymentIdOf(p) == paid.Id);
        Assert.Equal(200, again.Status);
        Assert.Equal(2, await EntriesOfAsync(paid.Id));
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", eventId));
        var repairedVerify = await VerifyAsync();
        Assert.Empty(ProblemsOf(repairedVerify, paid.Id));

        // The silo's periodic verify raises the alert's metric.
        await WaitUntilAsync(async () =>
        {
            var metrics = await platform.Http.GetStringAsync($"{platform.ApiUrl}/metrics", TestContext.Current.CancellationToken);
            return metrics.Split('\n').Any(line => line.StartsWith("payments_ledger_verify_failing{", StringComparison.Ordinal)
                && line.Contains("property=\"chain_intact\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        }, "payments_ledger_verify_failing{property=\"chain_intact\"} 1 on /metrics");

        // The repair restores the books, not the evidence: the removal stays visible in the hash chain.
        Assert.False(repairedVerify.Json.GetProperty("chain_intact").GetBoolean());
        Assert.Contains(repairedVerify.Json.GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString()!.StartsWith("chain_", StringComparison.Ordinal));
    }

    private static List<JsonElement> ProblemsOf(ApiResponse verify, Guid paymentId) =>
        [.. verify.Json.GetProperty("problems").EnumerateArray().Where(p => PaymentIdOf(p) == paymentId)];

    private static Guid? PaymentIdOf(JsonElement problem) => LedgerCompletenessTests.PaymentIdOf(problem);

    private Task<long> EntriesOfAsync(Guid paymentId) => platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = $1", paymentId);

    private async Task<Guid> EventIdAsync(Guid paymentId, string type)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT id FROM outbox_events WHERE agg_id = $1 AND event_type = $2", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = paymentId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = type });
        return (Guid)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private Task<ApiResponse> VerifyAsync() =>
        platform.SendAsync(HttpMethod.Get, "/v1/operator/ledger/verify?settle_seconds=0", clientId: PlatformFixture.Operator);

    private Task<ApiResponse> RepairAsync() =>
        platform.SendAsync(HttpMethod.Post, "/v1/operator/ledger/repair?settle_seconds=0", clientId: PlatformFixture.Operator);

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.Until(condition, Patience, () => $"{what}\n{platform.LogsOfSilo()}");
}

/// <summary>A second platform, for tests that damage its books on purpose.</summary>
[CollectionDefinition(Name)]
[ContractChecked]
public sealed class TamperedPlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform-tampered";
}
