using Npgsql;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;
using static Payments.Actors.IntegrationTests.Ledger.LedgerPostings;

namespace Payments.Actors.IntegrationTests.Ledger;

/// <summary>
/// The ledger's guarantees on a real PostgreSQL, in a scratch database of its own: an event posts once
/// however often and however concurrently it arrives, and the database itself refuses an unbalanced
/// posting, any UPDATE, DELETE or TRUNCATE of the journal, whatever the code does.
/// </summary>
public sealed class LedgerStoreTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private LedgerStore Store => new(database.DataSource);

    [Fact]
    public async Task TheSameEventAppendedTwicePostsOnce()
    {
        var capture = Capture(NewMerchant(), Guid.CreateVersion7(), 2599);
        var first = Post(capture);

        var written = await Store.AppendAsync([first], TestContext.Current.CancellationToken);
        var again = await Store.AppendAsync([Post(capture)], TestContext.Current.CancellationToken);

        Assert.Equal(new LedgerAppendResult(capture.EventId, LedgerAppendOutcome.Posted, TransactionId: first.TransactionId),
            written[(capture.SourceSystem, capture.EventId)]);
        // The redelivery names the transaction that holds the event, not the one it offered.
        Assert.Equal(new LedgerAppendResult(capture.EventId, LedgerAppendOutcome.Duplicate, TransactionId: first.TransactionId),
            Assert.Single(again.Values));
        Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
    }

    [Fact]
    public async Task TwentyConcurrentAppendsOfOneEventPostItOnce()
    {
        var capture = Capture(NewMerchant(), Guid.CreateVersion7(), 1000);

        // Twenty writers, each in its own transaction on its own connection, each with its own transaction id.
        using var start = new ManualResetEventSlim();
        var appends = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Store.AppendAsync([Post(capture)], TestContext.Current.CancellationToken);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(appends);

        var outcomes = results.Select(r => Assert.Single(r.Values)).ToList();
        Assert.Equal(1, outcomes.Count(r => r.Outcome == LedgerAppendOutcome.Posted));
        Assert.Equal(19, outcomes.Count(r => r.Outcome == LedgerAppendOutcome.Duplicate));
        Assert.Single(outcomes.Select(r => r.TransactionId).Distinct());
        Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(DISTINCT transaction_id) FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
    }

    [Fact]
    public async Task ABatchPostsItsNewEventsAndSkipsTheOnesAlreadyPosted()
    {
        var merchant = NewMerchant();
        var old = Capture(merchant, Guid.CreateVersion7(), 100);
        await Store.AppendAsync([Post(old)], TestContext.Current.CancellationToken);
        var fresh = Enumerable.Range(1, 50).Select(i => Capture(merchant, Guid.CreateVersion7(), i)).ToList();

        var written = await Store.AppendAsync([Post(old), .. fresh.Select(Post)], TestContext.Current.CancellationToken);

        Assert.Equal(50, written.Values.Count(r => r.Outcome == LedgerAppendOutcome.Posted));
        Assert.Equal(LedgerAppendOutcome.Duplicate, written[(old.SourceSystem, old.EventId)].Outcome);
        Assert.Equal(51, await database.ScalarAsync(
            "SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.code = $1", $"merchant_payable:{merchant}:EUR"));
        // Accounts are created once, on first use.
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM accounts WHERE code = $1", $"merchant_payable:{merchant}:EUR"));
    }

    [Fact]
    public async Task AnEventIdRedeliveredWithOtherLegsIsRejectedNotCountedAsDuplicate()
    {
        var merchant = NewMerchant();
        var payment = Guid.CreateVersion7();
        var capture = Capture(merchant, payment, 2500);
        await Store.AppendAsync([Post(capture)], TestContext.Current.CancellationToken);
        // The same event id with another amount: a producer bug or a rule changed between deliveries.
        var other = PaymentEvent("payment.captured", merchant, payment, 2400);
        var changed = other with
        {
            EventId = capture.EventId,
            PayloadJson = other.PayloadJson.Replace(other.EventId.ToString(), capture.EventId.ToString(), StringComparison.Ordinal),
        };

        var results = await Store.AppendAsync([Post(changed)], TestContext.Current.CancellationToken);

        var result = Assert.Single(results.Values);
        Assert.Equal(LedgerAppendOutcome.Rejected, result.Outcome);
        Assert.Contains("different legs", result.Reason, StringComparison.Ordinal);
        Assert.Equal(2500, await database.ScalarAsync(
            "SELECT sum(amount_minor) FILTER (WHERE side = 'D') FROM ledger_entries WHERE source_event_id = $1", capture.EventId));
    }

    [Fact]
    public async Task AnUnbalancedPostingIsRefusedByTheDatabaseEvenWhenTheCodeIsBypassed()
    {
        var merchant = NewMerchant();
        var (_, posting) = Post(Capture(merchant, Guid.CreateVersion7(), 500));
        await Store.AppendAsync([(Guid.CreateVersion7(), posting with { SourceEventId = Guid.CreateVersion7() })], TestContext.Current.CancellationToken);
        var transactionId = Guid.CreateVersion7();

        // Debit 500, credit 499: written as raw SQL, as a buggy rule might.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"""
            INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, currency, effective_at)
            SELECT '{transactionId}', 'payments', '{Guid.CreateVersion7()}', 'payment.captured', leg, a.id, side, amount, 'EUR', now()
              FROM (VALUES (1, 'psp_clearing:psp-a:EUR', 'D', 500), (2, 'merchant_payable:{merchant}:EUR', 'C', 499)) AS v(leg, code, side, amount)
              JOIN accounts a ON a.code = v.code
            """));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Contains("unbalanced", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE transaction_id = $1", transactionId));
    }

    [Fact]
    public async Task AOneLeggedPostingIsRefusedByTheDatabase()
    {
        var merchant = NewMerchant();
        await Store.AppendAsync([Post(Capture(merchant, Guid.CreateVersion7(), 500))], TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"""
            INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, currency, effective_at)
            SELECT '{Guid.CreateVersion7()}', 'payments', '{Guid.CreateVersion7()}', 'payment.captured', 1, id, 'D', 500, 'EUR', now()
              FROM accounts WHERE code = 'merchant_payable:{merchant}:EUR'
            """));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }

    [Theory]
    [InlineData("UPDATE ledger_entries SET amount_minor = amount_minor + 1")]
    [InlineData("UPDATE ledger_entries SET memo = 'x' WHERE false")]
    [InlineData("DELETE FROM ledger_entries")]
    [InlineData("TRUNCATE ledger_entries")]
    public async Task TheJournalRefusesAnyRewrite(string sql)
    {
        await Store.AppendAsync([Post(Capture(NewMerchant(), Guid.CreateVersion7(), 700))], TestContext.Current.CancellationToken);
        var before = await database.ScalarAsync("SELECT count(*) FROM ledger_entries");
        var sumBefore = await database.ScalarAsync("SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(sql));

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await database.ScalarAsync("SELECT count(*) FROM ledger_entries"));
        Assert.Equal(sumBefore, await database.ScalarAsync("SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries"));
    }

    [Fact]
    public async Task AnEntryInAnotherCurrencyThanItsAccountIsRefused()
    {
        var merchant = NewMerchant();
        await Store.AppendAsync([Post(Capture(merchant, Guid.CreateVersion7(), 500))], TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync($"""
            INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, currency, effective_at)
            SELECT '{Guid.CreateVersion7()}', 'payments', '{Guid.CreateVersion7()}', 'payment.captured', leg, a.id, side, 500, 'USD', now()
              FROM (VALUES (1, 'psp_clearing:psp-a:EUR', 'D'), (2, 'merchant_payable:{merchant}:EUR', 'C')) AS v(leg, code, side)
              JOIN accounts a ON a.code = v.code
            """));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }

    [Fact]
    public async Task TheBalanceAsOfATimeCountsOnlyWhatWasRecordedByThen()
    {
        var merchant = NewMerchant();
        var first = Capture(merchant, Guid.CreateVersion7(), 1000);
        await Store.AppendAsync([Post(first)], TestContext.Current.CancellationToken);
        var firstRecordedAt = await RecordedAtAsync(first.EventId);
        await database.ExecuteAsync("SELECT pg_sleep(0.01)");
        await Store.AppendAsync([Post(Refund(merchant, Guid.CreateVersion7(), 300))], TestContext.Current.CancellationToken);
        var code = $"merchant_payable:{merchant}:EUR";

        var then = await Store.BalanceAsync(code, firstRecordedAt, TestContext.Current.CancellationToken);
        var now = await Store.BalanceAsync(code, null, TestContext.Current.CancellationToken);

        Assert.NotNull(then);
        Assert.NotNull(now);
        Assert.Equal(1000, then.BalanceMinor);
        Assert.Equal(1, then.Entries);
        Assert.Equal(700, now.BalanceMinor);
        Assert.Equal(300, now.DebitsMinor);
        Assert.Equal(1000, now.CreditsMinor);
        Assert.Equal(0, (await Store.BalanceAsync(code, firstRecordedAt.AddTicks(-10), TestContext.Current.CancellationToken))!.BalanceMinor);
        Assert.Null(await Store.BalanceAsync($"merchant_payable:{merchant}:USD", null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task VerifyFindsTheBooksBalancedAfterMixedPostings()
    {
        var merchant = NewMerchant();
        var payment = Guid.CreateVersion7();
        await Store.AppendAsync([Post(Capture(merchant, payment, 5000, "USD")), Post(CashIn(merchant, "w-1", 900, "JPY"))], TestContext.Current.CancellationToken);
        await Store.AppendAsync([Post(Refund(merchant, payment, 1200, "USD"))], TestContext.Current.CancellationToken);

        var report = await Store.VerifyAsync(DateTimeOffset.UtcNow, TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.True(report.Balanced, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.Empty(report.Problems);
        Assert.Equal(0, report.ProblemsTotal);
        Assert.Contains(report.Currencies, c => c.Currency == "USD" && c.Balanced && c.DebitsMinor == c.CreditsMinor && c.DebitsMinor >= 6200);
        Assert.Contains(report.Currencies, c => c.Currency == "JPY" && c.Balanced);
        Assert.Equal(await database.ScalarAsync("SELECT count(*) FROM ledger_entries"), report.Entries);
    }

    private async Task<DateTimeOffset> RecordedAtAsync(Guid eventId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT max(recorded_at) FROM ledger_entries WHERE source_event_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetFieldValue<DateTimeOffset>(0);
    }
}

/// <summary>Verification in a database of its own, because these tests break the books on purpose.</summary>
public sealed class LedgerVerifyTests : IAsyncLifetime
{
    private readonly MigratedDatabase _database = new();

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task VerifyReportsAnImbalanceInjectedWithTheTriggerDisabled()
    {
        var store = new LedgerStore(_database.DataSource);
        var merchant = NewMerchant();
        await store.AppendAsync([Post(Capture(merchant, Guid.CreateVersion7(), 2000))], TestContext.Current.CancellationToken);
        Assert.True((await store.VerifyAsync(DateTimeOffset.UtcNow, TimeSpan.Zero, TestContext.Current.CancellationToken)).Balanced);
        var bad = Guid.CreateVersion7();

        // Only a superuser who switches the trigger off can do this; verify must still catch it.
        await _database.ExecuteAsync($"""
            ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balanced;
            INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, currency, effective_at)
            SELECT '{bad}', 'payments', '{Guid.CreateVersion7()}', 'payment.captured', leg, a.id, side, amount, 'EUR', now()
              FROM (VALUES (1, 'psp_clearing:psp-a:EUR', 'D', 2000), (2, 'merchant_payable:{merchant}:EUR', 'C', 1999)) AS v(leg, code, side, amount)
              JOIN accounts a ON a.code = v.code;
            ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balanced;
            """);

        var report = await store.VerifyAsync(DateTimeOffset.UtcNow, TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.False(report.Balanced);
        Assert.Contains(report.Problems, p => p.Kind == "unbalanced_transaction" && p.TransactionId == bad && p.Currency == "EUR");
        Assert.Contains(report.Problems, p => p.Kind == "unbalanced_currency" && p.Currency == "EUR");
        var eur = Assert.Single(report.Currencies, c => c.Currency == "EUR");
        Assert.False(eur.Balanced);
        Assert.Equal(eur.DebitsMinor - 1, eur.CreditsMinor);
        Assert.Equal(report.Problems.Count, report.ProblemsTotal);
    }

    [Fact]
    public async Task VerifyReportsAnOrphanedEntryAndAnIncompletePosting()
    {
        var store = new LedgerStore(_database.DataSource);
        var merchant = NewMerchant();
        await store.AppendAsync([Post(Capture(merchant, Guid.CreateVersion7(), 800))], TestContext.Current.CancellationToken);
        var orphanEvent = Guid.CreateVersion7();

        // A lone debit naming an account that is not there: only possible with the checks taken off the table.
        await _database.ExecuteAsync($"""
            ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account;
            ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balanced;
            INSERT INTO ledger_entries (transaction_id, source_system, source_event_id, event_type, leg, account_id, side, amount_minor, currency, effective_at)
            VALUES ('{Guid.CreateVersion7()}', 'payments', '{orphanEvent}', 'payment.captured', 1, 999999, 'D', 800, 'EUR', now());
            ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balanced;
            """);

        var report = await store.VerifyAsync(DateTimeOffset.UtcNow, TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.False(report.Balanced);
        Assert.Contains(report.Problems, p => p.Kind == "orphan_entry" && p.Detail.Contains("999999", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Kind == "incomplete_posting" && p.Detail.Contains(orphanEvent.ToString(), StringComparison.Ordinal));
    }
}
