using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;
using static Payments.Actors.IntegrationTests.Ledger.LedgerPostings;

namespace Payments.Actors.IntegrationTests.Ledger;

/// <summary>
/// Tamper evidence on a real PostgreSQL, each test in a database of its own because it tampers on purpose: verify
/// recomputes every shard's hash chain and names the first entry that does not fit, and the chain's anchors show
/// entries cut off its end.
/// </summary>
public sealed class LedgerChainTests : IAsyncLifetime
{
    private readonly MigratedDatabase _database = new();

    private LedgerStore Store => new(_database.DataSource);

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ConcurrentAppendsOnOneShardBuildOneUnbrokenChain()
    {
        var merchant = NewMerchant();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Store.AppendAsync(2, [Post(Capture(merchant, Guid.CreateVersion7(), 100 + i))], TestContext.Current.CancellationToken)));

        var report = await VerifyAsync();

        Assert.True(report.ChainIntact, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.Equal(0, report.UnchainedEntries);
        Assert.Equal(40, await _database.ScalarAsync("SELECT max(chain_seq) FROM ledger_entries WHERE chain_shard = 2"));
        Assert.Equal(40, await _database.ScalarAsync("SELECT count(DISTINCT chain_seq) FROM ledger_entries WHERE chain_shard = 2"));
    }

    [Fact]
    public async Task OneEventRacedOnTwoShardsPostsOnceAndLeavesNoGapInEitherChain()
    {
        var merchant = NewMerchant();
        for (var i = 0; i < 20; i++)
        {
            var capture = Capture(merchant, Guid.CreateVersion7(), 700 + i);
            var answers = await Task.WhenAll(
                Task.Run(() => Store.AppendAsync(1, [Post(capture)], TestContext.Current.CancellationToken)),
                Task.Run(() => Store.AppendAsync(2, [Post(capture)], TestContext.Current.CancellationToken)));

            Assert.Equal([LedgerAppendOutcome.Posted, LedgerAppendOutcome.Duplicate], answers.Select(a => Assert.Single(a.Values).Outcome).Order());
        }

        var report = await VerifyAsync();
        Assert.True(report.ChainIntact, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.Equal(40, await _database.ScalarAsync("SELECT count(*) FROM ledger_entries"));
    }

    [Theory]
    [InlineData("memo = 'nothing to see here'")]
    [InlineData("amount_minor = amount_minor + 1")]
    [InlineData("effective_at = effective_at - interval '1 day'")]
    public async Task AnEntryAlteredInPlaceIsReportedAtThatEntry(string change)
    {
        var merchant = NewMerchant();
        var payments = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var payment in payments)
        {
            await Store.AppendAsync(1, [Post(Capture(merchant, payment, 2_000))], TestContext.Current.CancellationToken);
        }

        var altered = await _database.ScalarAsync("SELECT id FROM ledger_entries WHERE payment_id = $1 AND leg = 2", payments[1]);
        Assert.True((await VerifyAsync()).ChainIntact);

        await _database.ExecuteAsync($"""
            ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update_delete;
            ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balanced;
            UPDATE ledger_entries SET {change} WHERE id = {altered};
            ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balanced;
            ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_no_update_delete;
            """);
        var report = await VerifyAsync();

        Assert.False(report.ChainIntact);
        var broken = Assert.Single(report.Problems, p => p.Kind == "chain_broken");
        Assert.Equal((altered, payments[1]), (broken.EntryId, broken.PaymentId));
        Assert.Contains($"entry {altered} ", broken.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APostingRemovedFromTheMiddleIsReportedAtTheEntryAfterTheGap()
    {
        var merchant = NewMerchant();
        var payments = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var payment in payments)
        {
            await Store.AppendAsync(1, [Post(Capture(merchant, payment, 3_000))], TestContext.Current.CancellationToken);
        }

        var after = await _database.ScalarAsync("SELECT id FROM ledger_entries WHERE payment_id = $1 AND leg = 1", payments[2]);
        await DeleteAsync(payments[1]);
        var report = await VerifyAsync();

        var broken = Assert.Single(report.Problems, p => p.Kind == "chain_broken");
        Assert.Equal(after, broken.EntryId);
        Assert.Contains("missing", broken.Detail, StringComparison.Ordinal);
        Assert.True(report.Balanced);
    }

    [Fact]
    public async Task EntriesCutOffTheEndOfAChainAreCaughtByItsAnchor()
    {
        var merchant = NewMerchant();
        var (kept, cut) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await Store.AppendAsync(3, [Post(Capture(merchant, kept, 500))], TestContext.Current.CancellationToken);
        await Store.AppendAsync(3, [Post(Capture(merchant, cut, 600))], TestContext.Current.CancellationToken);
        await Store.AnchorChainsAsync(TestContext.Current.CancellationToken);

        await DeleteAsync(cut);
        var report = await VerifyAsync();

        Assert.False(report.ChainIntact);
        var truncated = Assert.Single(report.Problems, p => p.Kind == "chain_truncated");
        Assert.Contains("shard 3: chain position 4", truncated.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Problems, p => p.Kind == "chain_broken");
    }

    private Task<LedgerVerifyReport> VerifyAsync() =>
        Store.VerifyAsync(DateTimeOffset.UtcNow, TimeSpan.Zero, TestContext.Current.CancellationToken);

    private Task DeleteAsync(Guid paymentId) => _database.ExecuteAsync($"""
        ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update_delete;
        DELETE FROM ledger_entries WHERE payment_id = '{paymentId}';
        ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_no_update_delete;
        """);
}
