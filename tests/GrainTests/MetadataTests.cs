using Payments.Actors.Payments;
using Payments.Actors.Wallets;

namespace Payments.Actors.GrainTests;

/// <summary>
/// Metadata is stored with what it describes, in the same commit: after the activations are gone, PostgreSQL alone gives
/// back the payment's, its refund's, a cash-in's and a hold's metadata, in reads, replays and events.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class MetadataTests(GrainClusterFixture cluster)
{
    private static readonly Metadata OrderTags = Metadata.Of([new("order_id", "6735"), new("Channel", "web shop"), new("note", "Zoë's \"gift\"")])!;
    private static readonly Metadata TicketTags = Metadata.Of([new("ticket", "T-42")])!;

    [Fact]
    public async Task APaymentsAndItsRefundsMetadataComeBackFromPostgresAfterDeactivationInReadsReplaysAndEvents()
    {
        var command = Commands.Create(1_200, capture: true) with { Metadata = OrderTags };
        var created = await cluster.CreateAsync(command);
        var payment = cluster.Client.GetGrain<IPaymentGrain>(created.Payment!.Id);
        var refund = Commands.Refund(200) with { Metadata = TicketTags };
        var refunded = await payment.RefundAsync(refund);

        await cluster.Cluster.DeactivateAsync(payment);
        await cluster.Cluster.DeactivateAsync(cluster.Client.GetGrain<IPaymentCreationGrain>(IPaymentCreationGrain.KeyOf(command.MerchantId, command.IdempotencyKey)));
        var read = await payment.GetAsync(Commands.Merchant);
        var createReplay = await cluster.CreateAsync(command);
        var refundReplay = await payment.RefundAsync(refund);

        Assert.Equal((PaymentResultCode.Ok, PaymentStatus.Captured), (created.Code, created.Payment.Status));
        Assert.Equal(OrderTags, created.Payment.Metadata);
        Assert.Equal(TicketTags, Assert.Single(refunded.Payment!.Refunds).Metadata);
        Assert.Equal(OrderTags, read!.Metadata);
        Assert.Equal(TicketTags, Assert.Single(read.Refunds).Metadata);
        Assert.True(createReplay.Replayed && refundReplay.Replayed);
        Assert.Equal(OrderTags, createReplay.Payment!.Metadata);
        Assert.Equal((OrderTags, TicketTags), (refundReplay.Payment!.Metadata, Assert.Single(refundReplay.Payment.Refunds).Metadata));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM payments WHERE id = $1 AND metadata = $2::jsonb", read.Id,
            """{"order_id":"6735","Channel":"web shop","note":"Zoë's \"gift\""}"""));
        // Every event of the payment names its metadata; the refund's event names the refund's too.
        Assert.Equal(4, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND payload->'metadata'->>'order_id' = '6735'", read.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = 'payment.refunded' AND payload->'refund_metadata'->>'ticket' = 'T-42'",
            read.Id));
    }

    [Fact]
    public async Task APaymentWithoutMetadataStoresNoneAndShowsNone()
    {
        var created = await cluster.CreateAsync(Commands.Create(900, capture: false));

        Assert.Null(created.Payment!.Metadata);
        Assert.Equal(1, await cluster.Database.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND metadata IS NULL", created.Payment.Id));
    }

    [Fact]
    public async Task ACashInsAndAHoldsMetadataComeBackFromPostgresAfterDeactivationAndRideOnTheirEvents()
    {
        var walletId = $"w-{Guid.NewGuid():N}";
        var wallet = cluster.Client.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(Commands.Merchant, walletId));
        var cashIn = Commands.CashIn(1_000) with { Metadata = OrderTags };
        var funded = await wallet.CashInAsync(cashIn);
        var held = await wallet.PlaceHoldAsync(Commands.Hold(300) with { Metadata = TicketTags });

        await cluster.Cluster.DeactivateAsync(wallet);
        var snapshot = await wallet.GetAsync();
        var replay = await wallet.CashInAsync(cashIn);
        var captured = await wallet.CaptureHoldAsync(new CaptureHold(Commands.Merchant, Commands.NewKey(), Commands.FingerprintOf("capture"), held.Hold!.Id, 100));

        Assert.Equal((WalletResultCode.Ok, OrderTags), (funded.Code, funded.Operation!.Metadata));
        Assert.Equal(TicketTags, held.Hold.Metadata);
        Assert.Equal(TicketTags, Assert.Single(snapshot!.Holds).Metadata);
        Assert.True(replay.Replayed);
        Assert.Equal(OrderTags, replay.Operation!.Metadata);
        Assert.Equal(TicketTags, captured.Hold!.Metadata);
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM wallet_operations WHERE operation_id = $1 AND metadata->>'order_id' = '6735'", funded.Operation.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM wallet_holds WHERE hold_id = $1 AND metadata = '{\"ticket\":\"T-42\"}'::jsonb", held.Hold.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE event_type = 'wallet.cashed_in' AND (payload->>'operation_id')::uuid = $1 " +
            "AND payload->'metadata'->>'Channel' = 'web shop'", funded.Operation.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE event_type = 'wallet.hold_captured' AND (payload->>'hold_id')::uuid = $1 " +
            "AND payload->'metadata'->>'ticket' = 'T-42'", held.Hold.Id));
    }
}
