using Payments.Actors.Events;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Ledger;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Ledger;

/// <summary>
/// The outbox rows the payment and wallet grains really write, fed to the posting rules: if a producer's
/// payload drifts from docs/events.md, these fail here instead of the events piling up in a DLQ.
/// </summary>
public sealed class ProducerContractTests
{
    private static LedgerEvent FromOutbox(string aggregateType, SqlStatementView row)
    {
        Assert.Equal(aggregateType, row.AggregateType);
        return new(LedgerSourceSystems.ForAggregateType(aggregateType)!, row.EventId, row.EventType, row.Payload);
    }

    [Fact]
    public void APaymentCaptureFromTheOutboxPostsToPspClearingAndMerchantPayable()
    {
        var payment = Captured(10_000, 6_000);
        var eventId = NewId(7);
        var row = SqlStatementView.Of(PaymentStore.InsertOutbox(payment, new PaymentEvent(PaymentEventTypes.Captured, 6_000), eventId, T0));

        var posting = PostingRules.Decide(FromOutbox("payment", row), T0).Posting;

        Assert.NotNull(posting);
        Assert.Equal([$"D psp_clearing:{payment.Psp}:EUR 6000", $"C merchant_payable:{payment.MerchantId}:EUR 6000"], Legs(posting));
        Assert.Equal(payment.Id, posting.PaymentId);
        Assert.Equal(eventId, posting.SourceEventId);
    }

    [Fact]
    public void APaymentRefundFromTheOutboxReversesTheCaptureLegs()
    {
        var payment = Refunded(Captured(10_000), 2_500, out var refundId);
        var row = SqlStatementView.Of(PaymentStore.InsertOutbox(payment, new PaymentEvent(PaymentEventTypes.Refunded, 2_500, refundId), NewId(8), T0));

        var posting = PostingRules.Decide(FromOutbox("payment", row), T0).Posting;

        Assert.NotNull(posting);
        Assert.Equal([$"D merchant_payable:{payment.MerchantId}:EUR 2500", $"C psp_clearing:{payment.Psp}:EUR 2500"], Legs(posting));
        Assert.Contains(refundId.ToString(), posting.Memo, StringComparison.Ordinal);
    }

    [Fact]
    public void AWalletPaidCaptureFromTheOutboxDebitsTheWallet()
    {
        var payment = Captured(10_000) with { Psp = PostingRules.WalletPsp, WalletId = "w-7" };
        var row = SqlStatementView.Of(PaymentStore.InsertOutbox(payment, new PaymentEvent(PaymentEventTypes.Captured, 10_000), NewId(10), T0));

        var posting = PostingRules.Decide(FromOutbox("payment", row), T0).Posting;

        Assert.NotNull(posting);
        Assert.Equal([$"D wallet:{payment.MerchantId}:w-7:EUR 10000", $"C merchant_payable:{payment.MerchantId}:EUR 10000"], Legs(posting));
        Assert.Equal("w-7", posting.WalletId);
    }

    [Theory]
    [InlineData(PaymentEventTypes.Initiated)]
    [InlineData(PaymentEventTypes.Authorized)]
    [InlineData(PaymentEventTypes.Declined)]
    [InlineData(PaymentEventTypes.Failed)]
    [InlineData(PaymentEventTypes.Voided)]
    public void APaymentEventWithoutMoneyFromTheOutboxPostsNothingAndIsNotRejected(string type)
    {
        var row = SqlStatementView.Of(PaymentStore.InsertOutbox(Authorized(), new PaymentEvent(type, 10_000), NewId(9), T0));

        var decision = PostingRules.Decide(FromOutbox("payment", row), T0);

        Assert.Null(decision.Rejection);
        Assert.Null(decision.Posting);
    }

    [Theory]
    [InlineData(WalletEventTypes.CashedIn, "D bank:EUR 500", "C wallet:merchant-a:w-1:EUR 500")]
    [InlineData(WalletEventTypes.CashedOut, "D wallet:merchant-a:w-1:EUR 500", "C bank:EUR 500")]
    [InlineData(WalletEventTypes.HoldCaptured, "D wallet:merchant-a:w-1:EUR 500", "C merchant_payable:merchant-a:EUR 500")]
    public void AWalletEventFromTheOutboxPostsAsItsRuleSays(string type, string debit, string credit)
    {
        var wallet = WalletState.New(NewId(1), "merchant-a", "w-1", "EUR", T0);
        var row = SqlStatementView.Of(WalletStore.InsertOutbox(wallet, type, 500, NewId(2), NewId(3), T0,
            holdId: type == WalletEventTypes.HoldCaptured ? NewId(4) : null));

        var posting = PostingRules.Decide(FromOutbox("wallet", row), T0).Posting;

        Assert.NotNull(posting);
        Assert.Equal([debit, credit], Legs(posting));
        Assert.Equal("w-1", posting.WalletId);
    }

    private static string[] Legs(LedgerPosting posting) =>
        [.. posting.Legs.Select(l => $"{l.Side.ToCode()} {l.Account.Code} {l.AmountMinor}")];

    /// <summary>The values of an outbox INSERT: (id, agg_type, agg_id, event_type, payload, created_at).</summary>
    private sealed record SqlStatementView(Guid EventId, string AggregateType, string EventType, string Payload)
    {
        public static SqlStatementView Of(SqlStatement statement)
        {
            Assert.True(statement.WritesOutbox);
            Assert.StartsWith("INSERT INTO outbox_events", statement.Sql, StringComparison.Ordinal);
            return new((Guid)statement.Values[0].Value!, (string)statement.Values[1].Value!, (string)statement.Values[3].Value!,
                (string)statement.Values[4].Value!);
        }
    }
}
