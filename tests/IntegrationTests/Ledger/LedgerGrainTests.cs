using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;
using static Payments.Actors.IntegrationTests.Ledger.LedgerPostings;

namespace Payments.Actors.IntegrationTests.Ledger;

/// <summary>The real ledger grain in an in-process Orleans cluster over a scratch PostgreSQL database.</summary>
public sealed class LedgerGrainCluster : IAsyncLifetime
{
    /// <summary>Amounts at or above this are refused by a constraint added only to this test database.</summary>
    public const long RefusedAmountMin = 1_000_000_000;

    public MigratedDatabase Database { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.ExecuteAsync($"ALTER TABLE ledger_entries ADD CONSTRAINT test_refuses_huge CHECK (amount_minor < {RefusedAmountMin})");
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.Services
            .AddSingleton(Database.DataSource)
            .AddSingleton<LedgerStore>()
            .AddSingleton(TimeProvider.System));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// The ingestion API the Kafka consumers call: one answer per event, in order; duplicates (also
/// concurrent ones, also across shards) post once; many callers share one commit; a posting the
/// database refuses comes back Rejected instead of blocking its batch.
/// </summary>
public sealed class LedgerGrainTests(LedgerGrainCluster fixture) : IClassFixture<LedgerGrainCluster>
{
    private ILedgerGrain Book(long shard = 0) => fixture.Cluster.Client.GetGrain<ILedgerGrain>(shard);

    [Fact]
    public async Task EachEventGetsItsOwnOutcomeInOrder()
    {
        var merchant = NewMerchant();
        var capture = Capture(merchant, Guid.CreateVersion7(), 2599);
        var authorized = PaymentEvent("payment.authorized", merchant, Guid.CreateVersion7(), 2599);
        var poison = new LedgerEvent(LedgerSourceSystems.Payments, Guid.CreateVersion7(), "payment.captured", """{"amount_minor":-1}""");

        var results = await Book().AppendAsync([capture, authorized, poison, capture]);

        Assert.Equal([capture.EventId, authorized.EventId, poison.EventId, capture.EventId], results.Select(r => r.EventId));
        Assert.Equal(
            [LedgerAppendOutcome.Posted, LedgerAppendOutcome.NoPosting, LedgerAppendOutcome.Rejected, LedgerAppendOutcome.Duplicate],
            results.Select(r => r.Outcome));
        Assert.NotNull(results[0].TransactionId);
        Assert.False(string.IsNullOrEmpty(results[2].Reason));
        Assert.Equal(2, await fixture.Database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = ANY($1)",
            new[] { authorized.EventId, poison.EventId }));

        var redelivered = await Book(3).AppendAsync([capture]);
        Assert.Equal(LedgerAppendOutcome.Duplicate, Assert.Single(redelivered).Outcome);
    }

    [Fact]
    public async Task TwentyConcurrentDeliveriesOfOneEventToTwoShardsPostItOnce()
    {
        var capture = Capture(NewMerchant(), Guid.CreateVersion7(), 4200);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => Book(i % 2).AppendAsync([capture]))));

        var outcomes = results.Select(r => Assert.Single(r).Outcome).ToList();
        Assert.Equal(1, outcomes.Count(o => o == LedgerAppendOutcome.Posted));
        Assert.Equal(19, outcomes.Count(o => o == LedgerAppendOutcome.Duplicate));
        Assert.Equal(2, await fixture.Database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
    }

    [Fact]
    public async Task ConcurrentCallersShareCommits()
    {
        var merchant = NewMerchant();
        const int callers = 200;
        var events = Enumerable.Range(1, callers).Select(i => Capture(merchant, Guid.CreateVersion7(), i)).ToList();

        var results = await Task.WhenAll(events.Select(e => Task.Run(() => Book(7).AppendAsync([e]))));

        Assert.All(results, r => Assert.Equal(LedgerAppendOutcome.Posted, Assert.Single(r).Outcome));
        Assert.Equal(callers * 2, await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM ledger_entries WHERE source_event_id = ANY($1)", events.Select(e => e.EventId).ToArray()));
        // Entries written by one database transaction share its start time: fewer distinct times than callers means group commit.
        var commits = await fixture.Database.ScalarAsync(
            "SELECT count(DISTINCT recorded_at) FROM ledger_entries WHERE source_event_id = ANY($1)", events.Select(e => e.EventId).ToArray());
        Assert.True(commits < callers / 2, $"{callers} callers took {commits} commits");
    }

    [Fact]
    public async Task APostingTheDatabaseRefusesIsRejectedAndItsBatchNeighboursStillPost()
    {
        var merchant = NewMerchant();
        var fine = Capture(merchant, Guid.CreateVersion7(), 100);
        var refused = Capture(merchant, Guid.CreateVersion7(), LedgerGrainCluster.RefusedAmountMin);
        var alsoFine = Capture(merchant, Guid.CreateVersion7(), 200);

        var results = await Book().AppendAsync([fine, refused, alsoFine]);

        Assert.Equal([LedgerAppendOutcome.Posted, LedgerAppendOutcome.Rejected, LedgerAppendOutcome.Posted], results.Select(r => r.Outcome));
        Assert.Contains("refused by the ledger database", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", refused.EventId));
        Assert.Equal(4, await fixture.Database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = ANY($1)",
            new[] { fine.EventId, alsoFine.EventId }));
    }
}
