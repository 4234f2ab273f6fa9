using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>Payments paid from a wallet: authorise = hold, capture = debit, void = release, refund = credit back.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WalletPaymentTests(PlatformFixture platform)
{
    [Fact]
    public async Task WalletPaymentHoldsOnAuthoriseDebitsOnCaptureAndRefundCreditsBack()
    {
        var wallet = await FundedWalletAsync(1_000);

        var authorised = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 300, capture: false));
        var whileHeld = await WalletAsync(wallet);
        var captured = await platform.PostAsync($"/v1/payments/{authorised.Id}/capture", """{"amount_minor":200}""");
        var afterCapture = await WalletAsync(wallet);
        var refunded = await platform.PostAsync($"/v1/payments/{authorised.Id}/refund", """{"amount_minor":150}""");
        var afterRefund = await WalletAsync(wallet);

        Assert.Equal((201, "AUTHORIZED", "wallet"), (authorised.Status, authorised.State, authorised.Json.GetProperty("psp").GetString()));
        Assert.Equal(wallet, authorised.Json.GetProperty("wallet_id").GetString());
        Assert.Equal((700L, 300L), Balances(whileHeld));
        Assert.Equal(authorised.Id, whileHeld.GetProperty("holds")[0].GetProperty("payment_id").GetGuid());
        Assert.Equal((200, "CAPTURED"), (captured.Status, captured.State));
        Assert.Equal((800L, 0L), Balances(afterCapture));
        Assert.Equal((200, 150L), (refunded.Status, refunded.Json.GetProperty("refunded_minor").GetInt64()));
        Assert.Equal((950L, 0L), Balances(afterRefund));

        var payload = JsonDocument.Parse(await TextAsync(
            "SELECT payload::text FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.captured'", authorised.Id)).RootElement;
        Assert.Equal(("wallet", wallet, 200L), (payload.GetProperty("psp").GetString(), payload.GetProperty("wallet_id").GetString(),
            payload.GetProperty("amount_minor").GetInt64()));
    }

    [Fact]
    public async Task VoidOfAWalletPaymentReleasesTheHold()
    {
        var wallet = await FundedWalletAsync(1_000);
        var authorised = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 400, capture: false));

        var voided = await platform.PostAsync($"/v1/payments/{authorised.Id}/void", null);

        Assert.Equal((200, "REVERSED"), (voided.Status, voided.State));
        Assert.Equal((1_000L, 0L), Balances(await WalletAsync(wallet)));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM wallet_holds WHERE hold_id = $1 AND state = 'RELEASED'", authorised.Id));
    }

    [Fact]
    public async Task AutoCapturedWalletPaymentDebitsAtOnceAndCardIsAbsent()
    {
        var wallet = await FundedWalletAsync(500);

        var paid = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 120, capture: true));

        Assert.Equal((201, "CAPTURED"), (paid.Status, paid.State));
        Assert.True(!paid.Json.TryGetProperty("card", out var card) || card.ValueKind == JsonValueKind.Null, paid.Text);
        Assert.Equal((380L, 0L), Balances(await WalletAsync(wallet)));
    }

    [Fact]
    public async Task WalletPaymentBeyondTheBalanceIsDeclinedAndMovesNothing()
    {
        var wallet = await FundedWalletAsync(100);

        var declined = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 101, capture: false));
        var foreign = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 10, capture: false), clientId: PlatformFixture.MerchantB);
        var both = await platform.PostAsync("/v1/payments",
            $$$"""{"amount_minor":10,"currency":"EUR","payment_method":{"type":"wallet","wallet_id":"{{{wallet}}}"},"card":{"number":"4242424242424242","exp_month":12,"exp_year":2030}}""");

        Assert.Equal((201, "DECLINED", "INSUFFICIENT_FUNDS"), (declined.Status, declined.State, declined.Json.GetProperty("decline_code").GetString()));
        Assert.Equal((201, "DECLINED", "WALLET_NOT_FOUND"), (foreign.Status, foreign.State, foreign.Json.GetProperty("decline_code").GetString()));
        Assert.Equal((400, "payment_method"), (both.Status, both.Json.GetProperty("field").GetString()));
        Assert.Equal((100L, 0L), Balances(await WalletAsync(wallet)));
    }

    [Fact]
    public async Task SameKeyForAnotherWalletIsAKeyReuse()
    {
        var wallet = await FundedWalletAsync(100);
        var other = await FundedWalletAsync(100);
        var key = Guid.NewGuid().ToString();

        var first = await platform.PostAsync("/v1/payments", WalletPayment(wallet, 10, capture: true), key);
        var reused = await platform.PostAsync("/v1/payments", WalletPayment(other, 10, capture: true), key);

        Assert.Equal(201, first.Status);
        Assert.Equal((422, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, reused.ErrorCode));
        Assert.Equal((100L, 0L), Balances(await WalletAsync(other)));
    }

    private static string WalletPayment(string wallet, long amount, bool capture) =>
        $$$"""{"amount_minor":{{{amount}}},"currency":"EUR","capture":{{{(capture ? "true" : "false")}}},"payment_method":{"type":"wallet","wallet_id":"{{{wallet}}}"}}""";

    private static (long Available, long Held) Balances(JsonElement wallet) =>
        (wallet.GetProperty("available_minor").GetInt64(), wallet.GetProperty("held_minor").GetInt64());

    private async Task<string> FundedWalletAsync(long amount)
    {
        var wallet = $"wp-{Guid.NewGuid():N}"[..20];
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", $$"""{"amount_minor":{{amount}},"currency":"EUR"}""");
        Assert.True(cashIn.Status == 201 && cashIn.State == "SUCCEEDED", $"cash-in: {cashIn}");
        return wallet;
    }

    private async Task<JsonElement> WalletAsync(string wallet)
    {
        var response = await platform.GetAsync($"/v1/wallets/{wallet}");
        Assert.True(response.Status == 200, $"GET wallet: {response}");
        return response.Json;
    }

    private async Task<string> TextAsync(string sql, params object[] values)
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
