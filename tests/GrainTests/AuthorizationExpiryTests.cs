using Payments.Actors.Grains.Payments;
using Payments.Actors.Payments;
using Payments.Actors.Psp;

namespace Payments.Actors.GrainTests;

/// <summary>An authorisation nobody captures is voided by the payment's own reminder when its validity runs out (the grains' clock is scripted).</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AuthorizationExpiryTests(GrainClusterFixture cluster)
{
    private const string ExpiryReminder = "authorization-expiry";

    [Fact]
    public async Task AnAuthorisationNotCapturedWithinItsValidityIsVoidedByItsReminderOnceAndIsNoLongerCapturable()
    {
        var created = await cluster.CreateAsync(Commands.Create(900, capture: false));
        var payment = created.Payment!;
        Assert.Equal(PaymentStatus.Authorized, payment.Status);
        var expiry = payment.AuthorizationExpiresAt!.Value;
        Assert.InRange(expiry - cluster.Clock.GetUtcNow(), TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        var grain = cluster.Client.GetGrain<IPaymentGrain>(payment.Id);
        var reminder = grain.AsReference<IRemindable>();

        // Early: the reminder finds the authorisation still valid and changes nothing.
        await reminder.ReceiveReminder(ExpiryReminder, Tick(), TestContext.Current.CancellationToken);
        Assert.Equal(PaymentStatus.Authorized, (await grain.GetAsync(Commands.Merchant))!.Status);

        cluster.Clock.Advance(expiry - cluster.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await reminder.ReceiveReminder(ExpiryReminder, Tick(), TestContext.Current.CancellationToken);
        await reminder.ReceiveReminder(ExpiryReminder, Tick(), TestContext.Current.CancellationToken);
        var capture = await grain.CaptureAsync(Commands.Capture());

        var voided = (await grain.GetAsync(Commands.Merchant))!;
        Assert.Equal((PaymentStatus.Reversed, (DateTimeOffset?)null), (voided.Status, voided.AuthorizationExpiresAt));
        Assert.Equal((1, 1), (cluster.PspA.Received(payment.Id, PspOperation.Void), cluster.PspA.Approved(payment.Id, PspOperation.Void)));
        Assert.Equal(0, cluster.PspA.Received(payment.Id, PspOperation.Capture));
        Assert.Equal(PaymentResultCode.InvalidState, capture.Code);
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM payments WHERE id = $1 AND state = 'REVERSED' AND authorization_expires_at IS NULL", payment.Id));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM idempotency_keys WHERE payment_id = $1 AND key = $2 AND operation = 'void'", payment.Id, PaymentGrain.AutoVoidKeyOf(payment.Id)));
        Assert.Equal(1, await cluster.Database.ScalarAsync(
            "SELECT count(*) FROM outbox_events WHERE agg_type = 'payment' AND agg_id = $1 AND event_type = 'payment.voided'", payment.Id));
    }

    private static TickStatus Tick() => new(DateTime.UtcNow, TimeSpan.FromHours(1), DateTime.UtcNow);
}
