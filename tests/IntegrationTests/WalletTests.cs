using System.Net.Http.Json;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>Wallets over HTTP against the real silo, PostgreSQL and the Bank simulator: cash-in, cash-out, holds, no overdraft.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WalletTests(PlatformFixture platform)
{
    /// <summary>The default settlement account: the Bank books it.</summary>
    private const string BookedIban = "DE89370400440532013000";
    private const string ClosedIban = "DE89370400440532010000";
    private const string PendingIban = "DE89370400440532011111";
    private const string NoFundsIban = "DE89370400440532019995";

    [Fact]
    public async Task TwoConcurrentCashOutsOfEightyFromAHundredLetExactlyOneThrough()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 100);

        var outcomes = await Task.WhenAll(
            platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(80)),
            platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(80)));

        Assert.Equal([201, 422], outcomes.Select(o => o.Status).Order());
        var refused = outcomes.Single(o => o.Status == 422);
        Assert.Equal("INSUFFICIENT_FUNDS", refused.ErrorCode);
        Assert.False(refused.Json.GetProperty("retryable").GetBoolean());
        Assert.Equal("SUCCEEDED", outcomes.Single(o => o.Status == 201).State);
        var balances = await WalletAsync(wallet);
        Assert.Equal((20L, 0L), (balances.GetProperty("available_minor").GetInt64(), balances.GetProperty("held_minor").GetInt64()));
        Assert.Equal(1, await BankTransfersAsync(wallet, "cashout"));
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM wallet_operations o JOIN wallets w USING (wallet_uid) WHERE w.wallet_id = $1 AND o.kind = 'cashout'", wallet));
    }

    [Fact]
    public async Task ConcurrentMixOfOperationsNeverOverdrawsAndAddsUp()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 1_000);
        var random = new Random(42);

        // Round one: cash-ins, cash-outs and holds race each other.
        var first = Enumerable.Range(0, 24).Select(i => (i % 3) switch
        {
            0 => ("cashin", platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(random.Next(10, 100)))),
            1 => ("cashout", platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(random.Next(50, 300)))),
            _ => ("hold", platform.PostAsync($"/v1/wallets/{wallet}/holds", Hold(random.Next(50, 300), 600))),
        }).ToList();
        await Task.WhenAll(first.Select(f => f.Item2));

        // Round two: captures (some partial) and releases of the holds race more cash-outs.
        var holds = first.Where(f => f.Item1 == "hold" && f.Item2.Result.Status == 201).Select(f => f.Item2.Result.Json).ToList();
        var second = holds.Select((h, i) => i % 2 == 0
                ? ("capture", platform.PostAsync($"/v1/wallets/{wallet}/holds/{h.GetProperty("id").GetString()}/capture",
                    Amount(h.GetProperty("amount_minor").GetInt64() / (i % 4 == 0 ? 1 : 2))))
                : ("release", platform.PostAsync($"/v1/wallets/{wallet}/holds/{h.GetProperty("id").GetString()}/release", null)))
            .Concat(Enumerable.Range(0, 6).Select(_ => ("cashout", platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(random.Next(50, 300))))))
            .ToList();
        await Task.WhenAll(second.Select(s => s.Item2));

        var all = first.Select(f => (Kind: f.Item1, Response: f.Item2.Result)).Concat(second.Select(s => (Kind: s.Item1, Response: s.Item2.Result))).ToList();
        Assert.All(all, a => Assert.True(a.Response.Status is 200 or 201 or 422, $"{a.Kind}: {a.Response}"));
        Assert.All(all.Where(a => a.Response.Status == 422), a => Assert.Equal("INSUFFICIENT_FUNDS", a.Response.ErrorCode));
        long Sum(string kind) => all.Where(a => a.Kind == kind && a.Response.Status is 200 or 201)
            .Sum(a => kind == "capture" ? a.Response.Json.GetProperty("captured_minor").GetInt64() : a.Response.Json.GetProperty("amount_minor").GetInt64());
        var expectedAvailable = 1_000 + Sum("cashin") - Sum("cashout") - Sum("capture");

        var balances = await WalletAsync(wallet);
        Assert.Equal(0, balances.GetProperty("held_minor").GetInt64());
        Assert.Equal(expectedAvailable, balances.GetProperty("available_minor").GetInt64());
        Assert.True(expectedAvailable >= 0);
        Assert.Contains(all, a => a.Response.Status == 422);
        Assert.Equal(expectedAvailable, await platform.ScalarAsync("SELECT available_minor FROM wallets WHERE wallet_id = $1", wallet));

        // Every movement of the mix, hold captures included, reaches the books: the wallet's ledger account ends equal to its balance.
        var last = await Eventually.Until(() => WalletAsync(wallet),
            w => w.GetProperty("ledger_minor").GetInt64() == w.GetProperty("balance_minor").GetInt64()
                && w.GetProperty("pending_cashout_minor").GetInt64() == 0,
            TimeSpan.FromSeconds(60), "the wallet's ledger account reaching its balance");
        Assert.Equal(expectedAvailable, last.GetProperty("ledger_minor").GetInt64());
    }

    [Fact]
    public async Task AKeyNamesOneRequestAcrossPaymentsAndWalletsAlsoWhenRedisHasForgottenIt()
    {
        var wallet = NewWalletId();
        var paymentKey = Guid.NewGuid().ToString();
        var walletKey = Guid.NewGuid().ToString();
        var payment = await platform.PostAsync("/v1/payments", Requests.Payment(), paymentKey);
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(700, iban: BookedIban), walletKey);

        await platform.Redis.KeyDeleteAsync([$"pa:idem:{PlatformFixture.MerchantA}:{paymentKey}", $"pa:idem:{PlatformFixture.MerchantA}:{walletKey}"]);
        var cashInUnderThePaymentsKey = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(300, iban: BookedIban), paymentKey);
        var paymentUnderTheCashInsKey = await platform.PostAsync("/v1/payments", Requests.Payment(), walletKey);

        Assert.Equal((201, 201), (payment.Status, cashIn.Status));
        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (cashInUnderThePaymentsKey.Status, cashInUnderThePaymentsKey.ErrorCode));
        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (paymentUnderTheCashInsKey.Status, paymentUnderTheCashInsKey.ErrorCode));
        Assert.Equal(700, (await WalletAsync(wallet)).GetProperty("available_minor").GetInt64());
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM wallet_operations WHERE idempotency_key = $1", paymentKey));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM payments WHERE idempotency_key = $1", walletKey));
        Assert.Equal(1, await platform.PspChargeCountAsync(payment.Id));
    }

    [Fact]
    public async Task CashInReplayedWithTheSameKeyAnswersTheSameBodyAndCallsTheBankOnce()
    {
        var wallet = NewWalletId();
        var key = Guid.NewGuid().ToString();

        var first = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(2_500), key);
        var again = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(2_500), key);
        await platform.Redis.KeyDeleteAsync($"pa:idem:{PlatformFixture.MerchantA}:{key}");
        var afterFlush = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(2_500), key);
        var otherAmount = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(2_501), key);

        Assert.Equal((201, "SUCCEEDED"), (first.Status, first.State));
        Assert.Equal(first.Text, again.Text);
        Assert.True(again.Replayed);
        Assert.Equal(first.Text, afterFlush.Text);
        Assert.True(afterFlush.Replayed);
        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (otherAmount.Status, otherAmount.ErrorCode));
        Assert.Equal(1, await BankChargesAsync(first.Id));
        Assert.Equal(2_500, (await WalletAsync(wallet)).GetProperty("available_minor").GetInt64());
    }

    [Fact]
    public async Task CashInAndCashOutEachWriteTheirWalletEventInTheOutbox()
    {
        var wallet = NewWalletId();
        var cashIn = await CashInAsync(wallet, 700);
        var cashOut = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(300));

        Assert.Equal(201, cashOut.Status);
        var uid = Guid.Parse(await ScalarTextAsync("SELECT wallet_uid::text FROM wallets WHERE wallet_id = $1", wallet));
        var payload = JsonDocument.Parse(await ScalarTextAsync(
            "SELECT payload::text FROM outbox_events WHERE agg_type = 'wallet' AND agg_id = $1 AND event_type = 'wallet.cashed_out'", uid)).RootElement;
        Assert.Equal(2, await platform.ScalarAsync("SELECT count(*) FROM outbox_events WHERE agg_type = 'wallet' AND agg_id = $1", uid));
        Assert.Equal(uid, payload.GetProperty("wallet_uid").GetGuid());
        Assert.Equal((PlatformFixture.MerchantA, wallet), (payload.GetProperty("merchant_id").GetString(), payload.GetProperty("wallet_id").GetString()));
        Assert.Equal((300L, "EUR"), (payload.GetProperty("amount_minor").GetInt64(), payload.GetProperty("currency").GetString()));
        Assert.Equal(cashOut.Id, payload.GetProperty("operation_id").GetGuid());
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = 'wallet.cashed_in' AND (payload->>'operation_id')::uuid = $2", uid, cashIn.Id));
    }

    [Fact]
    public async Task CashOutTheBankDeclinesGivesTheMoneyBack()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 500);

        var declined = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(200, iban: ClosedIban));

        Assert.Equal((201, "DECLINED"), (declined.Status, declined.State));
        Assert.Equal("ACCOUNT_CLOSED", declined.Json.GetProperty("decline_code").GetString());
        Assert.Equal(500, declined.Json.GetProperty("available_minor").GetInt64());
        Assert.Equal(500, (await WalletAsync(wallet)).GetProperty("available_minor").GetInt64());
    }

    [Fact]
    public async Task CashInTheBankDeclinesCreditsNothing()
    {
        var wallet = NewWalletId();

        var declined = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(900, iban: NoFundsIban));

        Assert.Equal((201, "DECLINED"), (declined.Status, declined.State));
        Assert.Equal("INSUFFICIENT_FUNDS", declined.Json.GetProperty("decline_code").GetString());
        Assert.Equal(0, (await WalletAsync(wallet)).GetProperty("available_minor").GetInt64());
    }

    [Fact]
    public async Task CashOutTheBankLeavesPendingStaysReservedAndSettlesThroughInquiry()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 1_000);

        // The Bank's notification of the booking is held back: this test proves the inquiry, the path that settles a
        // transfer whose notification never comes (BankNotificationFlowTests prove the notifications).
        await platform.SetWebhookFaultsAsync("bank", """{"paused":true}""");
        ApiResponse pending;
        JsonElement during, settled;
        try
        {
            pending = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(400, iban: PendingIban));
            during = await WalletAsync(wallet);
            settled = await WaitForWalletAsync(wallet, w => w.GetProperty("pending_cashout_minor").GetInt64() == 0, TimeSpan.FromSeconds(20));
        }
        finally
        {
            await platform.ResetWebhookFaultsAsync("bank");
        }

        Assert.Equal((202, "PENDING"), (pending.Status, pending.State));
        Assert.Equal((600L, 400L), (during.GetProperty("available_minor").GetInt64(), during.GetProperty("pending_cashout_minor").GetInt64()));
        Assert.Equal(1_000, during.GetProperty("balance_minor").GetInt64());
        Assert.Equal(600, settled.GetProperty("available_minor").GetInt64());
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM wallet_operations WHERE operation_id = $1 AND state = 'SUCCEEDED'", pending.Id));
        Assert.Equal(1, await BankChargesAsync(pending.Id));
    }

    [Fact]
    public async Task HoldCapturedInPartReturnsTheRestAndCannotBeCapturedTwice()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 1_000);

        var hold = await platform.PostAsync($"/v1/wallets/{wallet}/holds", Hold(600, 3_600));
        var held = await WalletAsync(wallet);
        var captured = await platform.PostAsync($"/v1/wallets/{wallet}/holds/{hold.Id}/capture", Amount(250));
        var again = await platform.PostAsync($"/v1/wallets/{wallet}/holds/{hold.Id}/release", null);

        Assert.Equal((201, "HELD"), (hold.Status, hold.State));
        Assert.Equal((400L, 600L), (held.GetProperty("available_minor").GetInt64(), held.GetProperty("held_minor").GetInt64()));
        Assert.Equal(hold.Id, held.GetProperty("holds")[0].GetProperty("id").GetGuid());
        Assert.Equal((200, "CAPTURED", 250L), (captured.Status, captured.State, captured.Json.GetProperty("captured_minor").GetInt64()));
        Assert.Equal((409, "INVALID_STATE"), (again.Status, again.ErrorCode));
        var after = await WalletAsync(wallet);
        Assert.Equal((750L, 0L), (after.GetProperty("available_minor").GetInt64(), after.GetProperty("held_minor").GetInt64()));
    }

    [Fact]
    public async Task HoldBeyondTheAvailableBalanceIsRefusedAndWritesNothing()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 100);

        var refused = await platform.PostAsync($"/v1/wallets/{wallet}/holds", Hold(101, 60));

        Assert.Equal((422, "INSUFFICIENT_FUNDS"), (refused.Status, refused.ErrorCode));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM wallet_holds h JOIN wallets w USING (wallet_uid) WHERE w.wallet_id = $1", wallet));
    }

    [Fact]
    public async Task ExpiredHoldIsReleasedBackToAvailable()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 300);

        var hold = await platform.PostAsync($"/v1/wallets/{wallet}/holds", Hold(120, 1));

        Assert.Equal(201, hold.Status);
        var released = await WaitForWalletAsync(wallet, w => w.GetProperty("held_minor").GetInt64() == 0, TimeSpan.FromSeconds(15));
        Assert.Equal(300, released.GetProperty("available_minor").GetInt64());
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM wallet_holds WHERE hold_id = $1 AND state = 'EXPIRED'", hold.Id));
        var capture = await platform.PostAsync($"/v1/wallets/{wallet}/holds/{hold.Id}/capture", null);
        Assert.Equal((409, "INVALID_STATE"), (capture.Status, capture.ErrorCode));
    }

    [Fact]
    public async Task AnotherMerchantCannotSeeOrSpendTheWallet()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 500);

        var read = await platform.GetAsync($"/v1/wallets/{wallet}", PlatformFixture.MerchantB);
        var spend = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(100), clientId: PlatformFixture.MerchantB);

        Assert.Equal((404, "WALLET_NOT_FOUND"), (read.Status, read.ErrorCode));
        Assert.Equal((404, "WALLET_NOT_FOUND"), (spend.Status, spend.ErrorCode));
        Assert.Equal(500, (await WalletAsync(wallet)).GetProperty("available_minor").GetInt64());
    }

    [Fact]
    public async Task BadInputIsRefusedWithTheFieldAndAnotherCurrencyWithCurrencyMismatch()
    {
        var wallet = NewWalletId();
        await CashInAsync(wallet, 500);

        var negative = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", """{"amount_minor":-5,"currency":"EUR"}""");
        var noCurrency = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", """{"amount_minor":5}""");
        var badIban = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", """{"amount_minor":5,"currency":"EUR","iban":"not an iban"}""");
        var badWallet = await platform.PostAsync("/v1/wallets/has.dot/cashin", Transfer(5));
        var noExpiry = await platform.PostAsync($"/v1/wallets/{wallet}/holds", """{"amount_minor":5,"currency":"EUR"}""");
        var noKey = await platform.SendAsync(HttpMethod.Post, $"/v1/wallets/{wallet}/cashin", Transfer(5));
        var otherCurrency = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(5, currency: "USD"));
        var unknown = await platform.GetAsync($"/v1/wallets/{NewWalletId()}");

        Assert.Equal((400, "VALIDATION_FAILED", "amount_minor"), (negative.Status, negative.ErrorCode, negative.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "currency"), (noCurrency.Status, noCurrency.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "iban"), (badIban.Status, badIban.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "wallet_id"), (badWallet.Status, badWallet.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "expires_in_seconds"), (noExpiry.Status, noExpiry.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "IDEMPOTENCY_KEY_MISSING"), (noKey.Status, noKey.ErrorCode));
        Assert.Equal((422, "CURRENCY_MISMATCH"), (otherCurrency.Status, otherCurrency.ErrorCode));
        Assert.Equal((404, "WALLET_NOT_FOUND"), (unknown.Status, unknown.ErrorCode));
        Assert.All([negative, noCurrency, otherCurrency, unknown], e => Assert.False(string.IsNullOrEmpty(e.Json.GetProperty("correlation_id").GetString())));
    }

    private static string NewWalletId() => $"w-{Guid.NewGuid():N}"[..20];

    private static string Transfer(long amount, string currency = "EUR", string? iban = null) => iban is null
        ? $$"""{"amount_minor":{{amount}},"currency":"{{currency}}"}"""
        : $$"""{"amount_minor":{{amount}},"currency":"{{currency}}","iban":"{{iban}}"}""";

    private static string Hold(long amount, long expiresInSeconds) =>
        $$"""{"amount_minor":{{amount}},"currency":"EUR","expires_in_seconds":{{expiresInSeconds}}}""";

    private static string Amount(long amount) => $$"""{"amount_minor":{{amount}}}""";

    private async Task<ApiResponse> CashInAsync(string wallet, long amount)
    {
        var response = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(amount, iban: BookedIban));
        Assert.True(response.Status == 201 && response.State == "SUCCEEDED", $"cash-in: {response}");
        return response;
    }

    private async Task<JsonElement> WalletAsync(string wallet)
    {
        var response = await platform.GetAsync($"/v1/wallets/{wallet}");
        Assert.True(response.Status == 200, $"GET wallet: {response}");
        return response.Json;
    }

    private Task<JsonElement> WaitForWalletAsync(string wallet, Func<JsonElement, bool> done, TimeSpan timeout) =>
        Eventually.Until(() => WalletAsync(wallet), done, timeout, () => $"wallet {wallet} getting there\n{platform.LogsOfSilo()}");

    /// <summary>Transfers the Bank recorded for one of our operations (its transfer_ref is the operation id).</summary>
    private async Task<int> BankChargesAsync(Guid operationId)
    {
        var list = await platform.Http.GetFromJsonAsync<JsonElement>($"{platform.PspUrl}/admin/charges/bank?reference={operationId:N}");
        return list.GetProperty("charges").GetArrayLength();
    }

    /// <summary>Transfers the Bank recorded for every operation of one kind on the wallet.</summary>
    private async Task<int> BankTransfersAsync(string wallet, string kind)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT o.operation_id FROM wallet_operations o JOIN wallets w USING (wallet_uid) WHERE w.wallet_id = $1 AND o.kind = $2", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = wallet });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = kind });
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var total = 0;
        foreach (var id in ids)
        {
            total += await BankChargesAsync(id);
        }

        return total;
    }

    private async Task<string> ScalarTextAsync(string sql, params object[] values)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }

        return (string)(await command.ExecuteScalarAsync())!;
    }
}
