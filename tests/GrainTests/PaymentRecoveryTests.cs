using Payments.Actors.Payments;
using Payments.Actors.Psp;

namespace Payments.Actors.GrainTests;

/// <summary>What must hold when an activation is not the only one, or not the first: version checks, reroutes and replays from PostgreSQL.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PaymentRecoveryTests(GrainClusterFixture cluster)
{
    [Fact]
    public async Task AStaleActivationLosesItsWriteToTheVersionCheckAndNothingIsCapturedTwice()
    {
        var created = await cluster.CreateAsync(Commands.Create(800, capture: false));
        var payment = created.Payment!;
        Assert.Equal(PaymentStatus.Authorized, payment.Status);
        var grain = cluster.Client.GetGrain<IPaymentGrain>(payment.Id);

        // A second activation of this payment (a silo that still believed it owned it) commits first: the row's
        // version moves on behind the back of the activation that answered above, which still holds the old one.
        await cluster.Database.ExecuteAsync($"UPDATE payments SET version = version + 1 WHERE id = '{payment.Id}'");
        var capture = Commands.Capture();
        var stale = await grain.CaptureAsync(capture);

        Assert.Equal(PaymentResultCode.OperationInProgress, stale.Code);
        Assert.Equal(0, cluster.PspA.Received(payment.Id, PspOperation.Capture));
        Assert.Equal(payment.Version + 1, await VersionInDatabaseAsync(payment.Id));
        Assert.Equal(0, await cluster.Database.ScalarAsync("SELECT captured_minor FROM payments WHERE id = $1", payment.Id));

        // The refusal made the activation reload what the other one wrote: the merchant's retry with the same key goes through, once.
        var retried = await grain.CaptureAsync(capture);
        var replayed = await grain.CaptureAsync(capture);

        Assert.Equal((PaymentResultCode.Ok, PaymentStatus.Captured, 800L), (retried.Code, retried.Payment!.Status, retried.Payment.CapturedMinor));
        Assert.True(replayed.Replayed);
        Assert.Equal(Commands.Essence(retried), Commands.Essence(replayed));
        Assert.Equal(1, cluster.PspA.Received(payment.Id, PspOperation.Capture));
        Assert.Equal(payment.Version + 3, await VersionInDatabaseAsync(payment.Id));
    }

    [Fact]
    public async Task APaymentTheFirstPspCannotTakeGoesToTheSecondIsChargedOnceAndReplaysFromPostgresAfterDeactivation()
    {
        var command = Commands.Create(1_500, capture: true);
        PaymentResult first;
        cluster.PspA.AnswerWith(ScriptedPsp.Unreachable);
        try
        {
            first = await cluster.CreateAsync(command);
        }
        finally
        {
            cluster.PspA.Reset();
        }

        var id = first.Payment!.Id;
        Assert.Equal((PaymentResultCode.Ok, PaymentStatus.Captured, "psp-b"), (first.Code, first.Payment.Status, first.Payment.Psp));
        Assert.Equal((1, 0), (cluster.PspA.Received(id, PspOperation.Authorize), cluster.PspA.Approved(id, PspOperation.Authorize)));
        Assert.Equal(1, cluster.PspB.Approved(id, PspOperation.Authorize));

        // Neither the payment nor its create gate stays in memory: the replay can only come from PostgreSQL.
        var payment = cluster.Client.GetGrain<IPaymentGrain>(id);
        var gate = cluster.Client.GetGrain<IPaymentCreationGrain>(IPaymentCreationGrain.KeyOf(command.MerchantId, command.IdempotencyKey));
        await cluster.Cluster.DeactivateAsync(payment);
        await cluster.Cluster.DeactivateAsync(gate);
        Assert.False(cluster.Cluster.TryGetGrainContext(payment.GetGrainId(), out _));

        var replay = await cluster.CreateAsync(command);

        Assert.True(replay.Replayed);
        Assert.Equal(Commands.Essence(first), Commands.Essence(replay));
        Assert.Equal(1, cluster.PspA.Received(id, PspOperation.Authorize));
        Assert.Equal(1, cluster.PspB.Received(id, PspOperation.Authorize));
        Assert.Equal(1, await cluster.Database.ScalarAsync("SELECT count(*) FROM payments WHERE merchant_id = $1 AND idempotency_key = $2",
            command.MerchantId, command.IdempotencyKey));
    }

    private Task<long> VersionInDatabaseAsync(Guid id) => cluster.Database.ScalarAsync("SELECT version FROM payments WHERE id = $1", id);
}
