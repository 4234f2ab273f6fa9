using System.Globalization;
using Npgsql;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;
using static Payments.Actors.IntegrationTests.Ledger.LedgerPostings;

namespace Payments.Actors.IntegrationTests.Ledger;

/// <summary>
/// The ledger's audit API over HTTP on the running silo. Postings are written into the platform's
/// database through the real <see cref="LedgerStore"/> (the Kafka consumer is not what is tested here);
/// every test uses a merchant of its own, so its accounts are its own.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerApiTests(PlatformFixture platform) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    private LedgerStore Store => new(_dataSource);

    public ValueTask InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(platform.DatabaseConnectionString);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    [Fact]
    public async Task AccountsShowBalancesDerivedFromTheirEntries()
    {
        var merchant = NewMerchant();
        var payment = Guid.CreateVersion7();
        await AppendAsync(Capture(merchant, payment, 2599), CashIn(merchant, "w-1", 10_000));
        await AppendAsync(Refund(merchant, payment, 599));

        var payable = await GetAsync($"/v1/operator/ledger/accounts/merchant_payable:{merchant}:EUR");
        var wallet = await GetAsync($"/v1/operator/ledger/accounts/wallet:{merchant}:w-1:EUR");
        var list = await GetAsync($"/v1/operator/ledger/accounts?limit=200&starting_after=merchant_payable:{merchant[..^1]}");

        Assert.Equal(200, payable.Status);
        Assert.Equal("liability", payable.Json.GetProperty("type").GetString());
        Assert.Equal(2000, payable.Json.GetProperty("balance_minor").GetInt64());
        Assert.Equal(599, payable.Json.GetProperty("debits_minor").GetInt64());
        Assert.Equal(2599, payable.Json.GetProperty("credits_minor").GetInt64());
        Assert.Equal(2, payable.Json.GetProperty("entries").GetInt64());
        Assert.Equal(merchant, payable.Json.GetProperty("merchant_id").GetString());
        Assert.Equal(10_000, wallet.Json.GetProperty("balance_minor").GetInt64());
        Assert.Equal("w-1", wallet.Json.GetProperty("owner_ref").GetString());
        Assert.Equal(200, list.Status);
        var listed = list.Json.GetProperty("data").EnumerateArray().Single(a => a.GetProperty("code").GetString() == $"merchant_payable:{merchant}:EUR");
        Assert.Equal(2000, listed.GetProperty("balance_minor").GetInt64());
    }

    [Fact]
    public async Task AnAccountsEntriesComeNewestFirstPageByPage()
    {
        var merchant = NewMerchant();
        for (var amount = 1; amount <= 5; amount++)
        {
            await AppendAsync(Capture(merchant, Guid.CreateVersion7(), amount));
        }

        var path = $"/v1/operator/ledger/accounts/merchant_payable:{merchant}:EUR/entries?limit=2";
        var amounts = new List<long>();
        string? cursor = null;
        for (var page = 0; page < 3; page++)
        {
            var response = await GetAsync(cursor is null ? path : $"{path}&starting_after={cursor}");
            Assert.Equal(200, response.Status);
            amounts.AddRange(response.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("amount_minor").GetInt64()));
            Assert.Equal(page < 2, response.Json.GetProperty("has_more").GetBoolean());
            cursor = page < 2 ? response.Json.GetProperty("next_cursor").GetString() : null;
        }

        Assert.Equal([5, 4, 3, 2, 1], amounts);
    }

    [Fact]
    public async Task AnAccountsEntriesCanBeBoundByWhenTheyWereRecorded()
    {
        var merchant = NewMerchant();
        // One append each: entries of one append are not ordered among themselves.
        await AppendAsync(Capture(merchant, Guid.CreateVersion7(), 1));
        await AppendAsync(Capture(merchant, Guid.CreateVersion7(), 2));
        var account = $"merchant_payable:{merchant}:EUR";
        // One microsecond after the first two were recorded (PostgreSQL's resolution), before the next three.
        var boundary = DateTimeOffset.UnixEpoch.AddTicks(10 * (1 + await platform.ScalarAsync(
            "SELECT (extract(epoch FROM max(e.recorded_at)) * 1000000)::bigint FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.code = $1",
            account)));
        for (var amount = 3; amount <= 5; amount++)
        {
            await AppendAsync(Capture(merchant, Guid.CreateVersion7(), amount));
        }

        var at = Uri.EscapeDataString(boundary.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        var path = $"/v1/operator/ledger/accounts/{account}/entries?limit=2";
        var since = await GetAsync($"{path}&created[gte]={at}");
        var sinceNextPage = await GetAsync($"{path}&created[gte]={at}&starting_after={since.Json.GetProperty("next_cursor").GetString()}");
        var before = await GetAsync($"{path}&created[lt]={at}");
        var badBound = await GetAsync($"{path}&created[lt]=yesterday");

        Assert.Equal([5L, 4L], Amounts(since));
        Assert.Equal([3L], Amounts(sinceNextPage));
        Assert.False(sinceNextPage.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([2L, 1L], Amounts(before));
        Assert.False(before.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal((400, "created[lt]"), (badBound.Status, badBound.Json.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task APaymentsEntriesShowItsCaptureAndRefundLegs()
    {
        var merchant = NewMerchant();
        var payment = Guid.CreateVersion7();
        var capture = Capture(merchant, payment, 5000, "USD", "psp-b");
        await AppendAsync(capture);
        await AppendAsync(Refund(merchant, payment, 1500, "USD", "psp-b"));

        var response = await GetAsync($"/v1/operator/ledger/payments/{payment}/entries");

        Assert.Equal(200, response.Status);
        var entries = response.Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        Assert.All(entries, e => Assert.Equal(payment.ToString(), e.GetProperty("payment_id").GetString()));
        Assert.Equal(
            [("psp_clearing:psp-b:USD", "debit", 5000L), ($"merchant_payable:{merchant}:USD", "credit", 5000L),
             ($"merchant_payable:{merchant}:USD", "debit", 1500L), ("psp_clearing:psp-b:USD", "credit", 1500L)],
            entries.Select(e => (e.GetProperty("account_code").GetString(), e.GetProperty("side").GetString(), e.GetProperty("amount_minor").GetInt64())));
        Assert.Equal(capture.EventId.ToString(), entries[0].GetProperty("source_event_id").GetString());
        Assert.Equal("payments", entries[0].GetProperty("source_system").GetString());
        Assert.Equal(entries[0].GetProperty("transaction_id").GetString(), entries[1].GetProperty("transaction_id").GetString());
    }

    [Fact]
    public async Task TheBalanceAsOfATimeIgnoresLaterEntries()
    {
        var merchant = NewMerchant();
        var first = Capture(merchant, Guid.CreateVersion7(), 1000);
        await AppendAsync(first);
        var recordedAt = await platform.ScalarAsync(
            "SELECT (extract(epoch FROM max(recorded_at)) * 1000000)::bigint FROM ledger_entries WHERE source_event_id = $1", first.EventId);
        var asOf = DateTimeOffset.UnixEpoch.AddTicks(recordedAt * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        await AppendAsync(Capture(merchant, Guid.CreateVersion7(), 250));

        var then = await GetAsync($"/v1/operator/ledger/accounts/merchant_payable:{merchant}:EUR?as_of={asOf}");
        var now = await GetAsync($"/v1/operator/ledger/accounts/merchant_payable:{merchant}:EUR");

        Assert.Equal(200, then.Status);
        Assert.Equal(1000, then.Json.GetProperty("balance_minor").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, then.Json.GetProperty("as_of").ValueKind);
        Assert.Equal(1250, now.Json.GetProperty("balance_minor").GetInt64());
    }

    [Fact]
    public async Task VerifyReportsTheBooksBalancedWithTotalsPerCurrency()
    {
        var merchant = NewMerchant();
        await AppendAsync(Capture(merchant, Guid.CreateVersion7(), 777, "KWD"), CashIn(merchant, "w-2", 300, "KWD"));

        // The ledger feed may still be posting earlier tests' payments: the count verify saw lies between these two.
        var before = await platform.ScalarAsync("SELECT count(*) FROM ledger_entries");
        var response = await GetAsync("/v1/operator/ledger/verify");
        var after = await platform.ScalarAsync("SELECT count(*) FROM ledger_entries");

        Assert.Equal(200, response.Status);
        Assert.True(response.Json.GetProperty("balanced").GetBoolean());
        Assert.Equal(0, response.Json.GetProperty("problems").GetArrayLength());
        Assert.True(response.Json.GetProperty("transactions").GetInt64() >= 2);
        Assert.InRange(response.Json.GetProperty("entries").GetInt64(), before, after);
        var kwd = response.Json.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "KWD");
        Assert.True(kwd.GetProperty("balanced").GetBoolean());
        Assert.Equal(kwd.GetProperty("debits_minor").GetInt64(), kwd.GetProperty("credits_minor").GetInt64());
        Assert.False(response.Json.TryGetProperty("error_code", out _));
    }

    [Fact]
    public async Task TheLedgerIsClosedToMerchantsAndAnswersBadRequestsInTheErrorModel()
    {
        var merchantToken = await platform.GetAsync("/v1/operator/ledger/verify", clientId: PlatformFixture.MerchantA);
        var anonymous = await platform.GetAsync("/v1/operator/ledger/accounts", clientId: null);
        var unknown = await GetAsync("/v1/operator/ledger/accounts/bank:XTS");
        var unknownEntries = await GetAsync("/v1/operator/ledger/accounts/bank:XTS/entries");
        var badAsOf = await GetAsync("/v1/operator/ledger/accounts/bank:EUR?as_of=yesterday");
        var badLimit = await GetAsync("/v1/operator/ledger/accounts?limit=0");
        var badCursor = await GetAsync("/v1/operator/ledger/accounts/bank:EUR/entries?starting_after=abc");
        var badPayment = await GetAsync("/v1/operator/ledger/payments/not-a-uuid/entries");

        Assert.Equal(403, merchantToken.Status);
        Assert.Equal(401, anonymous.Status);
        Assert.Equal((404, "NOT_FOUND"), (unknown.Status, unknown.ErrorCode));
        Assert.Equal(404, unknownEntries.Status);
        Assert.Equal((400, "VALIDATION_FAILED"), (badAsOf.Status, badAsOf.ErrorCode));
        Assert.Equal("as_of", badAsOf.Json.GetProperty("field").GetString());
        Assert.Equal((400, "VALIDATION_FAILED"), (badLimit.Status, badLimit.ErrorCode));
        Assert.Equal((400, "INVALID_CURSOR"), (badCursor.Status, badCursor.ErrorCode));
        Assert.Equal((400, "VALIDATION_FAILED"), (badPayment.Status, badPayment.ErrorCode));
    }

    private static List<long> Amounts(ApiResponse page) => [.. page.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("amount_minor").GetInt64())];

    private Task<ApiResponse> GetAsync(string path) => platform.GetAsync(path, clientId: PlatformFixture.Operator);

    private Task AppendAsync(params LedgerEvent[] events) =>
        Store.AppendAsync([.. events.Select(Post)], TestContext.Current.CancellationToken);
}
