using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The Bank's transfer notifications end to end, against the real processes: the simulator notifies, ingest stores and
/// publishes, the webhooks.in consumer finds the wallet from the transfer_ref (our operation id) and the wallet settles
/// its pending cash-in or cash-out exactly as a live answer would, once, whatever arrives again.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BankNotificationFlowTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string BookedIban = "DE89370400440532013000";
    private const string ClosedIban = "DE89370400440532010000";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public async ValueTask InitializeAsync()
    {
        await platform.StartFromHealthyPspsAsync();
        await platform.ResetWebhookFaultsAsync("bank");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task ACashInWhoseBankCallTimedOutIsSettledByTheBanksNotificationAndBookedOnceThoughTheNotificationArrivesFiveTimes()
    {
        var wallet = NewWalletId();
        ApiResponse pending;
        JsonElement sent;
        try
        {
            await platform.SetWebhookFaultsAsync("bank", """{"duplicates":3}""");
            await platform.SetFaultsAsync("bank", """{"timeout_rate":1.0}""");
            pending = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(3_100, BookedIban));
            // From here the Bank refuses every connection: a status inquiry cannot settle the cash-in, only the notification
            // the Bank sent when it booked the transfer (while our request was still waiting) can.
            await platform.SetFaultsAsync("bank", """{"down":true}""");
            Assert.True(pending.Status == 202 && pending.State == "PENDING", pending.ToString());
            await WaitForOperationAsync(pending.Id, "SUCCEEDED");
            // The simulator's four copies of its one notification, all answered.
            sent = (await Eventually.Until(() => BankNotificationAsync(pending.Id), n => n?.GetProperty("copies_delivered").GetInt32() == 4, Patience,
                "every copy of the Bank's notification delivered"))!.Value;
        }
        finally
        {
            await platform.ResetFaultsAsync("bank");
            await platform.ResetWebhookFaultsAsync("bank");
        }

        // A fifth delivery, the same signed body again: ingest answers it as the duplicate it is.
        var fifth = await PostBankAsync(Encoding.UTF8.GetBytes(sent.GetProperty("body").GetRawText()));
        Assert.True(fifth.Status == 200 && fifth.Json.GetProperty("duplicate").GetBoolean(), fifth.ToString());

        var transfer = sent.GetProperty("body").GetProperty("transfer");
        Assert.Equal(transfer.GetProperty("bank_transfer_id").GetString(),
            await platform.ScalarTextAsync("SELECT bank_reference FROM wallet_operations WHERE operation_id = $1", pending.Id));
        Assert.Equal(1, await platform.ScalarAsync("SELECT count(*) FROM webhooks_in WHERE transfer_ref = $1", pending.Id.ToString("N")));
        Assert.Equal(1, await CashedAsync("wallet.cashed_in", pending.Id));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE operation_id = $1", pending.Id));
        Assert.Equal(1, await BankTransfersAsync(pending.Id));
        var booked = await WaitForLedgerAsync(wallet, 3_100);
        Assert.Equal((3_100L, 3_100L), (booked.GetProperty("available_minor").GetInt64(), booked.GetProperty("ledger_minor").GetInt64()));
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(DISTINCT source_event_id) FROM ledger_entries WHERE source_event_id IN " +
            "(SELECT id FROM outbox_events WHERE event_type = 'wallet.cashed_in' AND (payload->>'operation_id')::uuid = $1)", pending.Id));
    }

    [Fact]
    public async Task ACashOutTheBankRejectedWhileOurCallTimedOutIsDeclinedByTheRejectionWithTheMoneyBackAndNothingBooked()
    {
        var wallet = NewWalletId();
        var funded = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(1_000, BookedIban));
        Assert.True(funded.Status == 201 && funded.State == "SUCCEEDED", funded.ToString());
        var key = Guid.NewGuid().ToString();
        ApiResponse pending;
        try
        {
            await platform.SetFaultsAsync("bank", """{"timeout_rate":1.0}""");
            pending = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(400, ClosedIban), key);
            await platform.SetFaultsAsync("bank", """{"down":true}""");
            Assert.True(pending.Status == 202 && pending.State == "PENDING", pending.ToString());
            await WaitForOperationAsync(pending.Id, "DECLINED");
        }
        finally
        {
            await platform.ResetFaultsAsync("bank");
        }

        // While it waited, the 400 were reserved (the answer's balances); the rejection gave them back.
        Assert.Equal(600, pending.Json.GetProperty("available_minor").GetInt64());
        Assert.Equal("ACCOUNT_CLOSED", await platform.ScalarTextAsync("SELECT decline_code FROM wallet_operations WHERE operation_id = $1", pending.Id));
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM webhooks_in WHERE transfer_ref = $1 AND kind = 'transfer_rejected'", pending.Id.ToString("N")));
        Assert.Equal(0, await CashedAsync("wallet.cashed_out", pending.Id));
        var after = await WaitForLedgerAsync(wallet, 1_000);
        Assert.Equal((1_000L, 0L), (after.GetProperty("available_minor").GetInt64(), after.GetProperty("pending_cashout_minor").GetInt64()));
        // Settled through the same completion as a live answer: the merchant's retry replays the declined cash-out.
        var retry = await platform.PostAsync($"/v1/wallets/{wallet}/cashout", Transfer(400, ClosedIban), key);
        Assert.Equal((201, "DECLINED", pending.Id), (retry.Status, retry.State, retry.Id));
        Assert.True(retry.Replayed);
    }

    [Fact]
    public async Task ANewNotificationOfAFinishedCashInChangesNothingAContradictingOneIsADiscrepancyAndAnUnknownReferenceIsDeadLettered()
    {
        var wallet = NewWalletId();
        var cashIn = await platform.PostAsync($"/v1/wallets/{wallet}/cashin", Transfer(900, BookedIban));
        Assert.True(cashIn.Status == 201 && cashIn.State == "SUCCEEDED", cashIn.ToString());
        var reference = cashIn.Id.ToString("N");
        var version = await platform.ScalarAsync("SELECT version FROM wallets WHERE merchant_id = $1 AND wallet_id = $2", PlatformFixture.MerchantA, wallet);

        // The Bank telling again under a new id that it booked the transfer, then that it rejected it; both are about one
        // transfer, so the rejection is processed after the repeat, and once it is recorded the repeat was judged.
        var (againId, again) = BankNotification("transfer.booked", reference, "9.00");
        var (rejectedId, rejected) = BankNotification("transfer.rejected", reference, "9.00", "AC04");
        var (_, stray) = BankNotification("transfer.booked", Guid.CreateVersion7().ToString("N"), "9.00");
        var answers = new[] { await PostBankAsync(again), await PostBankAsync(rejected), await PostBankAsync(stray) };

        Assert.All(answers, a => Assert.True(a.Status == 200 && !a.Json.GetProperty("duplicate").GetBoolean(), a.ToString()));
        await Eventually.Until(async () => await platform.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE provider_event_id = $1", rejectedId) == 1,
            Patience, () => $"the contradicting rejection recorded\n{platform.LogsOfSilo()}");
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM psp_discrepancies WHERE provider = 'bank' AND provider_event_id = $1 AND payment_id IS NULL AND wallet_id = $2 " +
            "AND operation_id = $3 AND kind = 'transfer_rejected' AND payment_state = 'SUCCEEDED' AND amount_minor = 900", rejectedId, wallet, cashIn.Id));
        Assert.Equal(0, await platform.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE provider_event_id = $1", againId));
        // The contradiction is a T+0 reconciliation break too, open, for operators to work off.
        Assert.Equal(1, await platform.ScalarAsync(
            "SELECT count(*) FROM reconciliation_breaks WHERE dedupe_key = $1 AND kind = 'status_mismatch' AND psp = 'bank' AND status = 'open' " +
            "AND actual_minor = 900 AND detail LIKE '%' || $2 || '%'", $"t0:bank:{rejectedId}", wallet));
        Assert.Equal(version, await platform.ScalarAsync("SELECT version FROM wallets WHERE merchant_id = $1 AND wallet_id = $2", PlatformFixture.MerchantA, wallet));
        Assert.Equal("SUCCEEDED", await platform.ScalarTextAsync("SELECT state FROM wallet_operations WHERE operation_id = $1", cashIn.Id));
        Assert.Equal(1, await CashedAsync("wallet.cashed_in", cashIn.Id));

        var letter = await Eventually.Until(() => DeadLetterAsync(answers[2].Id), l => l is not null, Patience, "the stray notification dead-lettered");
        Assert.Contains("No wallet cash-in or cash-out has transfer reference", letter!.Value.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string NewWalletId() => $"w-{Guid.NewGuid():N}"[..20];

    private static string Transfer(long amount, string iban) => $$"""{"amount_minor":{{amount}},"currency":"EUR","iban":"{{iban}}"}""";

    private static (string EventId, byte[] Body) BankNotification(string type, string transferRef, string amount, string? reason = null)
    {
        var eventId = $"BN{Guid.NewGuid():N}".ToUpperInvariant();
        var state = type == "transfer.booked" ? "BOOKED" : "REJECTED";
        var reasonJson = reason is null ? "null" : $"\"{reason}\"";
        return (eventId, Encoding.UTF8.GetBytes($$"""
            {"notification_id":"{{eventId}}","event":"{{type}}","occurred_at":"{{OccurredAt()}}",
             "transfer":{"bank_transfer_id":"BT-{{transferRef}}","transfer_ref":"{{transferRef}}","direction":"DEBIT","state":"{{state}}",
                         "reason_code":{{reasonJson}},"value":{"amount":"{{amount}}","currency":"EUR"} } }
            """));
    }

    private static string OccurredAt() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private Task<ApiResponse> PostBankAsync(byte[] body) => platform.PostWebhookAsync("bank", body, new Dictionary<string, string>
    {
        [WebhookSigning.BankHeader] = WebhookSigning.Bank(PlatformFixture.BankWebhookKeyId, platform.WebhookSecrets["bank"],
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body),
    });

    private Task WaitForOperationAsync(Guid operationId, string state) => Eventually.Until(
        async () => await platform.ScalarTextAsync("SELECT state FROM wallet_operations WHERE operation_id = $1", operationId) == state,
        Patience, () => $"operation {operationId} {state}\n{platform.LogsOfSilo()}");

    private Task<JsonElement> WaitForLedgerAsync(string wallet, long minor) => Eventually.Until(
        async () => (await platform.GetAsync($"/v1/wallets/{wallet}")).Json,
        w => w.GetProperty("ledger_minor").GetInt64() == minor && w.GetProperty("balance_minor").GetInt64() == minor,
        Patience, () => $"the wallet's ledger account at {minor}\n{platform.LogsOfSilo()}");

    private Task<long> CashedAsync(string eventType, Guid operationId) => platform.ScalarAsync(
        "SELECT count(*) FROM outbox_events WHERE agg_type = 'wallet' AND event_type = $1 AND (payload->>'operation_id')::uuid = $2", eventType, operationId);

    /// <summary>The simulator's one notification about an operation (its transfer_ref is the operation id), once it made one.</summary>
    private async Task<JsonElement?> BankNotificationAsync(Guid operationId)
    {
        var list = await platform.Http.GetFromJsonAsync<JsonElement>($"{platform.PspUrl}/admin/webhooks/bank/notifications?reference={operationId:N}",
            TestContext.Current.CancellationToken);
        return list.GetProperty("notifications").EnumerateArray().Select(n => (JsonElement?)n).SingleOrDefault();
    }

    private async Task<int> BankTransfersAsync(Guid operationId)
    {
        var list = await platform.Http.GetFromJsonAsync<JsonElement>($"{platform.PspUrl}/admin/charges/bank?reference={operationId:N}",
            TestContext.Current.CancellationToken);
        return list.GetProperty("charges").GetArrayLength();
    }

    private async Task<JsonElement?> DeadLetterAsync(Guid notificationId)
    {
        var listed = await platform.SendAsync(HttpMethod.Get, "/v1/operator/dead-letters/webhooks.in?limit=500", clientId: PlatformFixture.Operator);
        Assert.True(listed.Status == 200, listed.ToString());
        return listed.Json.GetProperty("data").EnumerateArray()
            .Where(l => l.GetProperty("event_id").GetString() == notificationId.ToString("D"))
            .Select(l => (JsonElement?)l).FirstOrDefault();
    }
}
