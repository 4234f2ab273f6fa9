using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The books are complete, not only balanced: money that moved while the ledger feed was stalled is booked exactly
/// once even when Kafka then loses everything it held (a restarted embedded broker, with or without the silo dying
/// too), and the wallet's balance and its ledger account agree.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerCompletenessTests(PlatformFixture platform)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MoneyMovedWhileTheFeedStalledIsBookedOnceAfterTheBrokerRestartsEmpty()
    {
        await StallLedgerFeedAsync();
        var moved = await MoveMoneyAsync();
        await WaitUntilPublishedButUnbookedAsync(moved);

        await platform.RestartKafkaEmptyAsync();

        await AssertBookedExactlyOnceAsync(moved);
    }

    [Fact]
    public async Task MoneyMovedWhileTheFeedStalledIsBookedOnceAfterTheSiloIsKilledAndThePlatformRestarted()
    {
        await StallLedgerFeedAsync();
        var moved = await MoveMoneyAsync();
        await WaitUntilPublishedButUnbookedAsync(moved);

        // What deploy/run.sh does after a crash: Kafka (in memory) and the silo start again.
        await platform.KillSiloAsync();
        await platform.RestartKafkaEmptyAsync();
        await platform.StartSiloAsync();

        await AssertBookedExactlyOnceAsync(moved);
    }

    [Fact]
    public async Task VerifyAndRepairAreForOperatorsAndRefuseANonsenseSettleInterval()
    {
        var merchant = await platform.SendAsync(HttpMethod.Get, "/v1/operator/ledger/verify");
        var merchantRepair = await platform.SendAsync(HttpMethod.Post, "/v1/operator/ledger/repair");
        var negative = await platform.SendAsync(HttpMethod.Get, "/v1/operator/ledger/verify?settle_seconds=-1", clientId: PlatformFixture.Operator);
        var huge = await platform.SendAsync(HttpMethod.Post, "/v1/operator/ledger/repair?settle_seconds=99999999", clientId: PlatformFixture.Operator);

        Assert.Equal((403, 403), (merchant.Status, merchantRepair.Status));
        Assert.Equal((400, "VALIDATION_FAILED", "settle_seconds"), (negative.Status, negative.ErrorCode, negative.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "VALIDATION_FAILED"), (huge.Status, huge.ErrorCode));
    }

    /// <summary>Every Fetch of the embedded Kafka fails until it restarts: the ledger feed reads nothing, the relay still publishes.</summary>
    private Task StallLedgerFeedAsync() => platform.PushKafkaErrorsAsync("Fetch", [.. Enumerable.Repeat("NOT_LEADER_OR_FOLLOWER", 1000)]);

    /// <summary>Card captures and a refund, and a wallet's cash-in, captured hold and cash-out: every kind of money event.</summary>
    private async Task<Moved> MoveMoneyAsync()
    {
        var payments = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var paid = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 6_100 + i));
            Assert.Equal("CAPTURED", paid.State);
            payments.Add(paid.Id);
        }

        var refund = await platform.PostAsync($"/v1/payments/{payments[0]}/refund", Requests.Amount(1_000));
        Assert.Equal(200, refund.Status);

        var wallet = $"lc-{Guid.NewGuid():N}"[..20];
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":5000,"currency":"EUR"}""");
        var hold = await platform.PostAsync($"/v1/wallets/{wallet}/holds", """{"amount_minor":1200,"currency":"EUR","expires_in_seconds":600}""");
        var capture = await platform.PostAsync($"/v1/wallets/{wallet}/holds/{hold.Json.GetProperty("id").GetString()}/capture", Requests.Amount(700));
        var cashOut = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", """{"amount_minor":800,"currency":"EUR"}""");
        Assert.Equal((201, 201, 200, 201), (cashIn.Status, hold.Status, capture.Status, cashOut.Status));

        // 3 captures and 1 refund; cash-in, hold capture and cash-out.
        return new Moved(payments, wallet, PaymentEvents: 4, WalletEvents: 3, WalletBalance: 5_000 - 700 - 800);
    }

    private async Task WaitUntilPublishedButUnbookedAsync(Moved moved)
    {
        await WaitUntilAsync(async () => await MoneyEventsAsync(moved, "o.status = 'PUBLISHED'") == moved.PaymentEvents + moved.WalletEvents,
            "every money event published");
        Assert.Equal(0, await MoneyEventsAsync(moved, BookedCondition));
    }

    private async Task AssertBookedExactlyOnceAsync(Moved moved)
    {
        await WaitUntilAsync(async () => await MoneyEventsAsync(moved, BookedCondition) == moved.PaymentEvents + moved.WalletEvents,
            "every money event booked");
        Assert.Equal(2 * moved.PaymentEvents, await platform.ScalarAsync("SELECT count(*) FROM ledger_entries WHERE payment_id = ANY($1)", moved.Payments.ToArray()));
        Assert.Equal(moved.WalletEvents, await platform.ScalarAsync(
            "SELECT count(*) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.code = $1", WalletAccount(moved)));
        var wallet = (await platform.GetAsync($"/v1/wallets/{moved.Wallet}")).Json;
        Assert.Equal((moved.WalletBalance, moved.WalletBalance),
            (wallet.GetProperty("balance_minor").GetInt64(), wallet.GetProperty("ledger_minor").GetInt64()));

        // Verify proves it: the books balance, and nothing of these payments or this wallet is missing or differs.
        await WaitUntilAsync(async () =>
        {
            var verify = await VerifyAsync();
            return verify.Json.GetProperty("balanced").GetBoolean()
                && !verify.Json.GetProperty("problems").EnumerateArray().Any(p => moved.Payments.Contains(PaymentIdOf(p) ?? Guid.Empty)
                    || (p.TryGetProperty("wallet_id", out var w) && w.ValueKind == JsonValueKind.String && w.GetString() == moved.Wallet));
        }, "verify: balanced, and complete for these payments and this wallet");
    }

    private const string BookedCondition =
        "EXISTS (SELECT 1 FROM ledger_entries e WHERE e.source_event_id = o.id)";

    /// <summary>Outbox money events of the payments and the wallet that meet <paramref name="condition"/> (SQL over <c>o</c>).</summary>
    private Task<long> MoneyEventsAsync(Moved moved, string condition) => platform.ScalarAsync(
        $"""
        SELECT count(*) FROM outbox_events o
         WHERE o.event_type IN ('payment.captured', 'payment.refunded', 'wallet.cashed_in', 'wallet.cashed_out', 'wallet.hold_captured')
           AND (o.agg_id = ANY($1) OR o.agg_id = (SELECT wallet_uid FROM wallets WHERE wallet_id = $2))
           AND {condition}
        """, moved.Payments.ToArray(), moved.Wallet);

    private static string WalletAccount(Moved moved) => $"wallet:{PlatformFixture.MerchantA}:{moved.Wallet}:EUR";

    internal static Guid? PaymentIdOf(JsonElement problem) =>
        problem.TryGetProperty("payment_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetGuid() : null;

    private Task<ApiResponse> VerifyAsync() =>
        platform.SendAsync(HttpMethod.Get, "/v1/operator/ledger/verify?settle_seconds=0", clientId: PlatformFixture.Operator);

    private Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.Until(condition, Patience, () => $"{what}\n{platform.LogsOfSilo()}");

    private sealed record Moved(List<Guid> Payments, string Wallet, int PaymentEvents, int WalletEvents, long WalletBalance);
}
