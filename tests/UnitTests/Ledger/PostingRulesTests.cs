using System.Text.Json;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Ledger;
using Xunit;

namespace Payments.Actors.UnitTests.Ledger;

/// <summary>Every posting rule of docs/events.md, the events that post nothing, and the poison events the ledger refuses.</summary>
public sealed class PostingRulesTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 24, 5, 0, 0, TimeSpan.Zero);
    private static readonly Guid PaymentId = Guid.Parse("019ab000-0000-7000-8000-000000000001");
    private static readonly Guid RefundId = Guid.Parse("019ab000-0000-7000-8000-0000000000aa");

    public static LedgerEvent PaymentEvent(string type, long amount = 2599, string currency = "EUR", string psp = "psp-a",
        string? walletId = null, Guid? eventId = null, Action<Dictionary<string, object?>>? edit = null)
    {
        var id = eventId ?? Guid.CreateVersion7();
        var payload = new Dictionary<string, object?>
        {
            ["event_id"] = id.ToString(), ["event_type"] = type, ["payment_id"] = PaymentId.ToString(), ["merchant_id"] = "merchant-a",
            ["amount_minor"] = amount, ["currency"] = currency, ["psp"] = psp, ["psp_reference"] = "pi_1",
            ["refund_id"] = type == "payment.refunded" ? RefundId.ToString() : null, ["state"] = "CAPTURED", ["payment_version"] = 3,
            ["occurred_at"] = "2026-11-24T04:59:00Z", ["wallet_id"] = walletId,
        };
        edit?.Invoke(payload);
        return new LedgerEvent(LedgerSourceSystems.Payments, id, type, JsonSerializer.Serialize(payload));
    }

    public static LedgerEvent WalletEvent(string type, long amount = 10_000, string currency = "EUR", Guid? eventId = null,
        Action<Dictionary<string, object?>>? edit = null)
    {
        var id = eventId ?? Guid.CreateVersion7();
        var payload = new Dictionary<string, object?>
        {
            ["event_id"] = id.ToString(), ["event_type"] = type, ["wallet_uid"] = Guid.CreateVersion7().ToString(), ["merchant_id"] = "merchant-a",
            ["wallet_id"] = "w-1", ["amount_minor"] = amount, ["currency"] = currency, ["operation_id"] = "019ab000-0000-7000-8000-0000000000bb",
            ["occurred_at"] = "2026-11-24T04:58:00Z",
        };
        edit?.Invoke(payload);
        return new LedgerEvent(LedgerSourceSystems.Wallets, id, type, JsonSerializer.Serialize(payload));
    }

    private static LedgerPosting Posted(LedgerEvent e)
    {
        var decision = PostingRules.Decide(e, Received);
        Assert.Null(decision.Rejection);
        Assert.NotNull(decision.Posting);
        Assert.True(decision.Posting.IsBalanced());
        return decision.Posting;
    }

    private static string Rejected(LedgerEvent e)
    {
        var decision = PostingRules.Decide(e, Received);
        Assert.Null(decision.Posting);
        Assert.NotNull(decision.Rejection);
        return decision.Rejection;
    }

    private static void AssertLeg(LedgerLeg leg, string code, LedgerAccountType type, LedgerSide side, long amount)
    {
        Assert.Equal(code, leg.Account.Code);
        Assert.Equal(type, leg.Account.Type);
        Assert.Equal(side, leg.Side);
        Assert.Equal(amount, leg.AmountMinor);
    }

    [Fact]
    public void ACardCaptureDebitsPspClearingAndCreditsTheMerchantPayable()
    {
        var e = PaymentEvent("payment.captured", 2599);
        var posting = Posted(e);

        Assert.Equal(2, posting.Legs.Count);
        AssertLeg(posting.Legs[0], "psp_clearing:psp-a:EUR", LedgerAccountType.Asset, LedgerSide.Debit, 2599);
        AssertLeg(posting.Legs[1], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Credit, 2599);
        Assert.Equal(e.EventId, posting.SourceEventId);
        Assert.Equal("payments", posting.SourceSystem);
        Assert.Equal(PaymentId, posting.PaymentId);
        Assert.Null(posting.WalletId);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 4, 59, 0, TimeSpan.Zero), posting.EffectiveAt);
    }

    [Fact]
    public void ACardRefundReversesTheCaptureLegsForTheRefundAmount()
    {
        var posting = Posted(PaymentEvent("payment.refunded", 600, psp: "psp-b"));

        AssertLeg(posting.Legs[0], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 600);
        AssertLeg(posting.Legs[1], "psp_clearing:psp-b:EUR", LedgerAccountType.Asset, LedgerSide.Credit, 600);
        Assert.Contains(RefundId.ToString(), posting.Memo, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOpenedDisputeWithdrawsTheDisputedAmountFromTheMerchantAndAWonOneReinstatesIt()
    {
        var opened = Posted(PaymentEvent("dispute.created", 450, psp: "psp-b"));
        var won = Posted(PaymentEvent("dispute.won", 450, psp: "psp-b"));

        AssertLeg(opened.Legs[0], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 450);
        AssertLeg(opened.Legs[1], "psp_clearing:psp-b:EUR", LedgerAccountType.Asset, LedgerSide.Credit, 450);
        AssertLeg(won.Legs[0], "psp_clearing:psp-b:EUR", LedgerAccountType.Asset, LedgerSide.Debit, 450);
        AssertLeg(won.Legs[1], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Credit, 450);
        Assert.Contains("withdrawn", opened.Memo, StringComparison.Ordinal);
        Assert.Contains("reinstated", won.Memo, StringComparison.Ordinal);
    }

    [Fact]
    public void AWalletPaymentCaptureDebitsTheWalletAndCreditsTheMerchantPayable()
    {
        var posting = Posted(PaymentEvent("payment.captured", 700, psp: "wallet", walletId: "w-9"));

        AssertLeg(posting.Legs[0], "wallet:merchant-a:w-9:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 700);
        AssertLeg(posting.Legs[1], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Credit, 700);
        Assert.Equal("w-9", posting.WalletId);
        Assert.Equal(PaymentId, posting.PaymentId);
    }

    [Fact]
    public void AWalletPaymentRefundCreditsTheWalletBack()
    {
        var posting = Posted(PaymentEvent("payment.refunded", 300, psp: "wallet", walletId: "w-9"));

        AssertLeg(posting.Legs[0], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 300);
        AssertLeg(posting.Legs[1], "wallet:merchant-a:w-9:EUR", LedgerAccountType.Liability, LedgerSide.Credit, 300);
    }

    [Fact]
    public void ACashInDebitsTheBankAndCreditsTheWallet()
    {
        var posting = Posted(WalletEvent("wallet.cashed_in", 10_000, "JPY"));

        AssertLeg(posting.Legs[0], "bank:JPY", LedgerAccountType.Asset, LedgerSide.Debit, 10_000);
        AssertLeg(posting.Legs[1], "wallet:merchant-a:w-1:JPY", LedgerAccountType.Liability, LedgerSide.Credit, 10_000);
        Assert.Equal("wallets", posting.SourceSystem);
        Assert.Equal("w-1", posting.WalletId);
        Assert.Null(posting.PaymentId);
    }

    [Fact]
    public void ACashOutDebitsTheWalletAndCreditsTheBank()
    {
        var posting = Posted(WalletEvent("wallet.cashed_out", 8_000));

        AssertLeg(posting.Legs[0], "wallet:merchant-a:w-1:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 8_000);
        AssertLeg(posting.Legs[1], "bank:EUR", LedgerAccountType.Asset, LedgerSide.Credit, 8_000);
    }

    [Fact]
    public void ACapturedHoldDebitsTheWalletAndCreditsTheMerchantWhoHeldIt()
    {
        var posting = Posted(WalletEvent("wallet.hold_captured", 400));

        AssertLeg(posting.Legs[0], "wallet:merchant-a:w-1:EUR", LedgerAccountType.Liability, LedgerSide.Debit, 400);
        AssertLeg(posting.Legs[1], "merchant_payable:merchant-a:EUR", LedgerAccountType.Liability, LedgerSide.Credit, 400);
    }

    [Fact]
    public void EveryMoneyEventPostsAndEveryOtherKnownEventPostsNothing()
    {
        foreach (var (system, type) in PostingRules.MoneyEvents)
        {
            var e = system == "payments" ? PaymentEvent(type) : WalletEvent(type, 100);
            Assert.NotNull(PostingRules.Decide(e, Received).Posting);
        }

        Assert.Equal(7, PostingRules.MoneyEvents.Count);
    }

    [Theory]
    [InlineData("payment.initiated")]
    [InlineData("payment.authorized")]
    [InlineData("payment.declined")]
    [InlineData("payment.failed")]
    [InlineData("payment.voided")]
    [InlineData("dispute.lost")]
    public void EventsThatMoveNoMoneyPostNothing(string type)
    {
        var decision = PostingRules.Decide(PaymentEvent(type), Received);

        Assert.Null(decision.Posting);
        Assert.Null(decision.Rejection);
    }

    [Fact]
    public void AnEventWithoutOccurredAtTakesEffectWhenReceived()
    {
        var posting = Posted(PaymentEvent("payment.captured", edit: p => p.Remove("occurred_at")));

        Assert.Equal(Received, posting.EffectiveAt);
    }

    [Fact]
    public void AWalletIdWithColonsStillMakesOneUnambiguousCode()
    {
        var posting = Posted(WalletEvent("wallet.cashed_in", edit: p => p["wallet_id"] = "a:b"));

        Assert.Equal("wallet:merchant-a:a:b:EUR", posting.Legs[1].Account.Code);
    }

    [Theory]
    [InlineData("amount_minor", -5, "amount_minor must be positive")]
    [InlineData("amount_minor", 0, "amount_minor must be positive")]
    [InlineData("amount_minor", 12.5, "amount_minor is missing or not an integer")]
    [InlineData("amount_minor", "100", "amount_minor is missing or not an integer")]
    [InlineData("currency", "XXX", "currency 'XXX' is not an active ISO 4217 code")]
    [InlineData("currency", "eur", "currency 'eur' is not an active ISO 4217 code")]
    [InlineData("currency", null, "currency is missing")]
    [InlineData("merchant_id", "", "merchant_id is missing or empty")]
    [InlineData("merchant_id", "m:1", "merchant_id must be at most")]
    [InlineData("psp", null, "psp is missing or empty")]
    [InlineData("payment_id", "not-a-uuid", "payment_id is missing or not a UUID")]
    [InlineData("occurred_at", "yesterday", "occurred_at is not an RFC 3339 time")]
    [InlineData("event_type", "payment.refunded", "does not match the event type")]
    [InlineData("event_id", "019ab000-0000-7000-8000-00000000ffff", "does not match the event id")]
    public void AMalformedCaptureIsRejectedWithItsReason(string field, object? value, string reason)
    {
        Assert.Contains(reason, Rejected(PaymentEvent("payment.captured", edit: p => p[field] = value)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amount_minor")]
    [InlineData("currency")]
    [InlineData("merchant_id")]
    [InlineData("payment_id")]
    [InlineData("psp")]
    public void ACaptureMissingAFieldIsRejected(string field)
    {
        Assert.Contains(field, Rejected(PaymentEvent("payment.captured", edit: p => p.Remove(field))), StringComparison.Ordinal);
    }

    [Fact]
    public void AWalletPaymentWithoutAWalletIdIsRejected()
    {
        Assert.Contains("wallet_id", Rejected(PaymentEvent("payment.captured", psp: "wallet", walletId: null)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wallet_id")]
    [InlineData("merchant_id")]
    [InlineData("amount_minor")]
    [InlineData("currency")]
    public void ACashOutMissingAFieldIsRejected(string field)
    {
        Assert.Contains(field, Rejected(WalletEvent("wallet.cashed_out", edit: p => p.Remove(field))), StringComparison.Ordinal);
    }

    [Fact]
    public void ANegativeCashInIsRejected()
    {
        Assert.Contains("positive", Rejected(WalletEvent("wallet.cashed_in", -100)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payments", "payment.exploded")]
    [InlineData("payments", "wallet.cashed_in")]
    [InlineData("wallets", "payment.captured")]
    [InlineData("wallets", "wallet.renamed")]
    public void AnUnknownEventTypeIsRejectedRatherThanIgnored(string system, string type)
    {
        var e = new LedgerEvent(system, Guid.CreateVersion7(), type, "{}");

        Assert.Contains("unknown event type", Rejected(e), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSourceSystemIsRejected()
    {
        Assert.Contains("unknown source system", Rejected(PaymentEvent("payment.captured") with { SourceSystem = "recon" }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public void APayloadThatIsNoJsonObjectIsRejected(string payload)
    {
        Rejected(new LedgerEvent(LedgerSourceSystems.Payments, Guid.CreateVersion7(), "payment.captured", payload));
    }

    [Fact]
    public void AnEmptyEventIdIsRejected()
    {
        Assert.Contains("event id", Rejected(PaymentEvent("payment.captured") with { EventId = Guid.Empty }), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnbalancedPostingCannotBeMade()
    {
        var bank = AccountCodes.Bank("EUR");
        var wallet = AccountCodes.Wallet("m", "w", "EUR");
        var posting = new LedgerPosting("wallets", Guid.CreateVersion7(), "wallet.cashed_in", Received, null, "w", "bad",
            [new(bank, LedgerSide.Debit, 100), new(wallet, LedgerSide.Credit, 99)]);

        Assert.False(posting.IsBalanced());
        Assert.Throws<InvariantViolationException>(() => PostingDecision.Post(posting));
    }

    [Fact]
    public void APostingMustBalanceInEachCurrencySeparately()
    {
        // 100 EUR against 100 USD sums to zero as numbers, but not as money.
        var posting = new LedgerPosting("wallets", Guid.CreateVersion7(), "wallet.cashed_in", Received, null, "w", "bad",
            [new(AccountCodes.Bank("EUR"), LedgerSide.Debit, 100), new(AccountCodes.Wallet("m", "w", "USD"), LedgerSide.Credit, 100)]);

        Assert.False(posting.IsBalanced());
    }

    [Fact]
    public void APostingWithANonPositiveLegOrASingleLegIsUnbalanced()
    {
        var bank = AccountCodes.Bank("EUR");
        var wallet = AccountCodes.Wallet("m", "w", "EUR");

        Assert.False(new LedgerPosting("wallets", Guid.CreateVersion7(), "t", Received, null, null, "m",
            [new(bank, LedgerSide.Debit, -100), new(wallet, LedgerSide.Credit, -100)]).IsBalanced());
        Assert.False(new LedgerPosting("wallets", Guid.CreateVersion7(), "t", Received, null, null, "m",
            [new(bank, LedgerSide.Debit, 100)]).IsBalanced());
    }

    [Fact]
    public void EveryRuleBalancesForRandomAmountsAndCurrencies()
    {
        var random = new Random(4);
        string[] currencies = ["EUR", "USD", "JPY", "KWD"];
        for (var i = 0; i < 500; i++)
        {
            var amount = random.NextInt64(1, long.MaxValue / 4);
            var currency = currencies[random.Next(currencies.Length)];
            LedgerEvent e = random.Next(7) switch
            {
                0 => PaymentEvent("payment.captured", amount, currency),
                1 => PaymentEvent("payment.refunded", amount, currency),
                2 => PaymentEvent("payment.captured", amount, currency, psp: "wallet", walletId: "w"),
                3 => PaymentEvent("payment.refunded", amount, currency, psp: "wallet", walletId: "w"),
                4 => WalletEvent("wallet.cashed_in", amount, currency),
                5 => WalletEvent("wallet.hold_captured", amount, currency),
                _ => WalletEvent("wallet.cashed_out", amount, currency),
            };
            var posting = Posted(e);
            Assert.All(posting.Legs, l => Assert.Equal(currency, l.Account.Currency));
            Assert.All(posting.Legs, l => Assert.Equal(amount, l.AmountMinor));
        }
    }

    [Fact]
    public void ShardsAreStableAndWithinRange()
    {
        var key = "019ab000-0000-7000-8000-000000000001";

        Assert.Equal(LedgerBooks.ShardOf(key), LedgerBooks.ShardOf(key));
        Assert.All(Enumerable.Range(0, 100).Select(i => LedgerBooks.ShardOf($"k{i}")), s => Assert.InRange(s, 0, LedgerBooks.ShardCount - 1));
        Assert.Equal(LedgerBooks.ShardCount, Enumerable.Range(0, 100).Select(i => LedgerBooks.ShardOf($"k{i}")).Distinct().Count());
    }
}
