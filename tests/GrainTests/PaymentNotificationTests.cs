using Payments.Actors.Events;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Webhooks;

namespace Payments.Actors.GrainTests;

/// <summary>PSP notifications applied by the real payment grain on PostgreSQL: once, never backwards, contradictions kept.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PaymentNotificationTests(GrainClusterFixture cluster)
{
    private static PspNotification Notification(Guid paymentId, PspNotificationKind kind, long amount, string provider = "psp-a") =>
        new(Guid.NewGuid(), provider, $"evt_{Guid.NewGuid():N}", kind, paymentId, null, $"{provider}_{paymentId:N}", null, amount, Commands.Currency,
            null, null, null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task APaymentLeftPendingByAnUnknownAnswerIsSettledByItsNotificationOnceAndTheMerchantsRetryGetsTheSettledAnswer()
    {
        var command = Commands.Create(1_700, capture: false);
        PaymentResult pending;
        cluster.PspA.AnswerWith(_ => new PspResult(PspOutcome.Unknown, null, null, "Scripted: timed out."));
        try
        {
            pending = await cluster.CreateAsync(command);
        }
        finally
        {
            cluster.PspA.Reset();
        }

        var id = pending.Payment!.Id;
        Assert.Equal((PaymentResultCode.Pending, PaymentStatus.Initiated), (pending.Code, pending.Payment.Status));
        var grain = cluster.Client.GetGrain<IPaymentGrain>(id);
        var notification = Notification(id, PspNotificationKind.Authorized, 1_700);

        var outcome = await grain.ApplyNotificationAsync(notification);
        var again = await grain.ApplyNotificationAsync(notification);
        var retry = await cluster.CreateAsync(command);

        Assert.Equal((PspNotificationOutcome.Applied, PspNotificationOutcome.AlreadyReflected), (outcome, again));
        Assert.Equal((PaymentResultCode.Ok, PaymentStatus.Authorized, true), (retry.Code, retry.Payment!.Status, retry.Replayed));
        Assert.Equal(1, await cluster.Database.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1 AND state = 'AUTHORIZED' AND pending IS NULL", id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_id = $1 AND event_type = $2", id, PaymentEventTypes.Authorized));
        Assert.Equal(1, cluster.PspA.Received(id, PspOperation.Authorize));
    }

    [Fact]
    public async Task ANotificationThatContradictsThePaymentIsRecordedOnceAsADiscrepancyAndChangesNothing()
    {
        var created = await cluster.CreateAsync(Commands.Create(2_300, capture: true));
        var payment = created.Payment!;
        var grain = cluster.Client.GetGrain<IPaymentGrain>(payment.Id);
        var voided = Notification(payment.Id, PspNotificationKind.Voided, 2_300);

        var first = await grain.ApplyNotificationAsync(voided);
        var second = await grain.ApplyNotificationAsync(voided);

        Assert.Equal((PspNotificationOutcome.Discrepancy, PspNotificationOutcome.Discrepancy), (first, second));
        Assert.Equal(1, await cluster.Database.ScalarAsync("SELECT count(*) FROM psp_discrepancies WHERE payment_id = $1", payment.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM psp_discrepancies WHERE payment_id = $1 AND payment_state = 'CAPTURED' AND kind = 'voided'", payment.Id));
        Assert.Equal(payment.Version, await cluster.Database.ScalarAsync("SELECT version FROM payments WHERE id = $1", payment.Id));
        Assert.Equal(PaymentStatus.Captured, (await grain.GetAsync(Commands.Merchant))!.Status);
    }

    [Fact]
    public async Task ANotificationForAPaymentWeDoNotHaveIsUnknownAndWritesNothing()
    {
        var id = Guid.CreateVersion7();

        var outcome = await cluster.Client.GetGrain<IPaymentGrain>(id).ApplyNotificationAsync(Notification(id, PspNotificationKind.Captured, 100));

        Assert.Equal(PspNotificationOutcome.UnknownPayment, outcome);
        Assert.Equal(0, await cluster.Database.ScalarAsync("SELECT count(*) FROM payments WHERE id = $1", id));
    }
}
