using System.Text.Json;
using Payments.Actors.Events;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Ledger;
using Payments.Actors.Payments;
using Xunit;
using static Payments.Actors.UnitTests.Payments.PaymentScenario;

namespace Payments.Actors.UnitTests.Payments;

/// <summary>A payment's metadata and its refunds' are set when each is created, kept through every transition, and carried by the events.</summary>
public sealed class PaymentMetadataTests
{
    private static readonly Metadata OrderTags = Metadata.Of([new("order_id", "6735"), new("channel", "web")])!;
    private static readonly Metadata TicketTags = Metadata.Of([new("ticket", "T-42")])!;

    [Fact]
    public void ThePaymentKeepsTheMetadataItWasCreatedWithThroughCaptureAndRefund()
    {
        var initiated = Accepted(PaymentDecider.StartCreate(NewId(), CreateCommand() with { Metadata = OrderTags }, PspName, T0));
        var authorized = Accepted(PaymentDecider.Complete(initiated, Approved(), T0.AddSeconds(1)));
        var capturing = Accepted(PaymentDecider.StartCapture(authorized, Capture(), 2, T0.AddSeconds(2)));
        var captured = Accepted(PaymentDecider.Complete(capturing, Approved(), T0.AddSeconds(3)));
        var refunding = Accepted(PaymentDecider.StartRefund(captured, Refund(100) with { Metadata = TicketTags }, NewId(5), RefundsMax, 3, T0.AddSeconds(4)));
        var refunded = Accepted(PaymentDecider.Complete(refunding, Approved(operationReference: "re_1"), T0.AddSeconds(5)));

        Assert.All([initiated, authorized, captured, refunded], state => Assert.Equal(OrderTags, state.Metadata));
        Assert.Equal(OrderTags, refunded.ToSnapshot().Metadata);
        Assert.Equal(TicketTags, refunding.Pending!.Metadata);
        Assert.Equal(TicketTags, Assert.Single(refunded.Refunds).Metadata);
    }

    [Fact]
    public void ARefundWithoutMetadataHasNoneAndLeavesThePaymentsAlone()
    {
        var captured = Captured() with { Metadata = OrderTags };

        var refunded = Refunded(captured, 100, out _);

        Assert.Null(Assert.Single(refunded.Refunds).Metadata);
        Assert.Equal(OrderTags, refunded.Metadata);
    }

    [Fact]
    public void EveryPaymentEventCarriesThePaymentsMetadataAndARefundEventAlsoTheRefundsAndStillPosts()
    {
        var captured = Captured(10_000) with { Metadata = OrderTags };
        var refundId = NewId(7);
        var pending = Accepted(PaymentDecider.StartRefund(captured, Refund(2_500) with { Metadata = TicketTags }, refundId, RefundsMax, captured.Version,
            T0.AddSeconds(9)));
        var refunded = Accepted(PaymentDecider.Complete(pending, Approved(operationReference: "re_9"), T0.AddSeconds(10)));

        var capture = Payload(PaymentStore.InsertOutbox(captured, new PaymentEvent(PaymentEventTypes.Captured, 10_000), NewId(8), T0));
        var refundEventId = NewId(9);
        var refund = Payload(PaymentStore.InsertOutbox(refunded, new PaymentEvent(PaymentEventTypes.Refunded, 2_500, refundId), refundEventId, T0));

        Assert.Equal(OrderTags, EventJson.Deserialize<PaymentEventV1>(capture)!.Metadata);
        Assert.Null(EventJson.Deserialize<PaymentEventV1>(capture)!.RefundMetadata);
        Assert.Equal((OrderTags, TicketTags), (EventJson.Deserialize<PaymentEventV1>(refund)!.Metadata, EventJson.Deserialize<PaymentEventV1>(refund)!.RefundMetadata));
        Assert.NotNull(PostingRules.Decide(new LedgerEvent(LedgerSourceSystems.Payments, refundEventId, PaymentEventTypes.Refunded, refund), T0).Posting);
    }

    [Fact]
    public void ARefundEventWithBothMetadataAtEveryLimitInTheWidestCharactersStillPosts()
    {
        // 50 keys of 40 characters and values of 500, every character outside the BMP: written as two \u escapes each.
        static Metadata Widest(char tag) => Metadata.Of(Enumerable.Range(0, MetadataLimits.KeysMax).Select(i => KeyValuePair.Create(
            $"{tag}{i:00}{string.Concat(Enumerable.Repeat("😀", MetadataLimits.KeyLengthMax - 3))}",
            string.Concat(Enumerable.Repeat("😀", MetadataLimits.ValueLengthMax)))))!;
        var captured = Captured(10_000) with { Metadata = Widest('p') };
        var refundId = NewId(11);
        var pending = Accepted(PaymentDecider.StartRefund(captured, Refund(100) with { Metadata = Widest('r') }, refundId, RefundsMax, captured.Version,
            T0.AddSeconds(9)));
        var refunded = Accepted(PaymentDecider.Complete(pending, Approved(operationReference: "re_11"), T0.AddSeconds(10)));
        var eventId = NewId(12);

        var payload = Payload(PaymentStore.InsertOutbox(refunded, new PaymentEvent(PaymentEventTypes.Refunded, 100, refundId), eventId, T0));

        Assert.InRange(payload.Length, 600_000, PostingRules.PayloadCharsMax);
        Assert.NotNull(PostingRules.Decide(new LedgerEvent(LedgerSourceSystems.Payments, eventId, PaymentEventTypes.Refunded, payload), T0).Posting);
    }

    [Fact]
    public void APaymentWithoutMetadataShowsAnEmptyObjectInItsEvents()
    {
        var payload = Payload(PaymentStore.InsertOutbox(Authorized(), new PaymentEvent(PaymentEventTypes.Authorized, 10_000), NewId(3), T0));

        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(payload).RootElement.GetProperty("metadata").ValueKind);
        Assert.Empty(EventJson.Deserialize<PaymentEventV1>(payload)!.Metadata!);
    }

    private static string Payload(SqlStatement outboxInsert)
    {
        Assert.True(outboxInsert.WritesOutbox);
        return (string)outboxInsert.Values[4].Value!;
    }
}
