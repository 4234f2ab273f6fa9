using Payments.Actors.Payments;
using Payments.Actors.Psp;

namespace Payments.Actors.GrainTests;

/// <summary>Concurrent commands on one payment, through the real grains and PostgreSQL: the activation and the version check must let exactly one through.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PaymentRaceTests(GrainClusterFixture cluster)
{
    private const int Duplicates = 12;

    [Fact]
    public async Task ConcurrentDuplicateCreatesWithOneIdempotencyKeyMakeOnePaymentChargedOnceAndAllGetTheSameAnswer()
    {
        var command = Commands.Create(2_500, capture: true);

        var answers = await Task.WhenAll(Enumerable.Range(0, Duplicates).Select(_ => cluster.CreateAsync(command)));

        Assert.All(answers, a => Assert.Equal(PaymentResultCode.Ok, a.Code));
        var id = answers[0].Payment!.Id;
        Assert.All(answers, a => Assert.Equal(Commands.Essence(answers[0]), Commands.Essence(a)));
        Assert.Equal(1, answers.Count(a => !a.Replayed));
        Assert.Equal(PaymentStatus.Captured, answers[0].Payment!.Status);
        Assert.Equal(1, cluster.PspA.Received(id, PspOperation.Authorize) + cluster.PspB.Received(id, PspOperation.Authorize));
        Assert.Equal(1, await cluster.Database.ScalarAsync("SELECT count(*) FROM payments WHERE merchant_id = $1 AND idempotency_key = $2",
            command.MerchantId, command.IdempotencyKey));
    }

    [Fact]
    public async Task CaptureRacingVoidOnAnAuthorisedPaymentLetsExactlyOneWinAndThePspSeesOnlyTheWinner()
    {
        var payment = await AuthorizedAsync(1_000);
        var grain = cluster.Client.GetGrain<IPaymentGrain>(payment.Id);

        var capture = grain.CaptureAsync(Commands.Capture());
        var @void = grain.VoidAsync(Commands.Void());
        var (captured, voided) = (await capture, await @void);

        Assert.Equal(1, new[] { captured, voided }.Count(r => r.Code == PaymentResultCode.Ok));
        var loser = captured.Code == PaymentResultCode.Ok ? voided : captured;
        Assert.Equal(PaymentResultCode.InvalidState, loser.Code);
        var state = (await grain.GetAsync(Commands.Merchant))!;
        var psp = cluster.PspA;
        if (captured.Code == PaymentResultCode.Ok)
        {
            Assert.Equal((PaymentStatus.Captured, 1_000L), (state.Status, state.CapturedMinor));
            Assert.Equal((1, 0), (psp.Approved(payment.Id, PspOperation.Capture), psp.Received(payment.Id, PspOperation.Void)));
        }
        else
        {
            Assert.Equal((PaymentStatus.Reversed, 0L), (state.Status, state.CapturedMinor));
            Assert.Equal((0, 1), (psp.Received(payment.Id, PspOperation.Capture), psp.Approved(payment.Id, PspOperation.Void)));
        }

        Assert.Equal(state.Status.ToWire(), await StateInDatabaseAsync(payment.Id));
    }

    [Fact]
    public async Task TwoConcurrentPartialRefundsWorthMoreThanTheCaptureLetOneThroughAndRefuseTheOther()
    {
        var created = await cluster.CreateAsync(Commands.Create(1_000, capture: true));
        Assert.Equal(PaymentStatus.Captured, created.Payment!.Status);
        var grain = cluster.Client.GetGrain<IPaymentGrain>(created.Payment.Id);
        // The refund is stamped with the grains' clock, not the wall clock: a minute on, to tell the two apart.
        cluster.Clock.Advance(TimeSpan.FromMinutes(1));

        var answers = await Task.WhenAll(grain.RefundAsync(Commands.Refund(600)), grain.RefundAsync(Commands.Refund(700)));

        var won = Assert.Single(answers, a => a.Code == PaymentResultCode.Ok);
        var refused = Assert.Single(answers, a => a.Code != PaymentResultCode.Ok);
        Assert.Equal(PaymentResultCode.AmountExceedsRefundable, refused.Code);
        var state = (await grain.GetAsync(Commands.Merchant))!;
        Assert.True(state.RefundedMinor <= state.CapturedMinor, $"refunded {state.RefundedMinor} > captured {state.CapturedMinor}");
        Assert.Equal(won.Payment!.RefundedMinor, state.RefundedMinor);
        var refund = Assert.Single(state.Refunds);
        Assert.Equal(Truncated(cluster.Clock.GetUtcNow()), refund.CreatedAt);
        Assert.Equal(1, cluster.PspA.Received(state.Id, PspOperation.Refund));
        Assert.Equal(state.RefundedMinor, await cluster.Database.ScalarAsync(
            "SELECT refunded_minor FROM payments WHERE id = $1", state.Id));
    }

    private async Task<PaymentSnapshot> AuthorizedAsync(long amountMinor)
    {
        var created = await cluster.CreateAsync(Commands.Create(amountMinor, capture: false));
        Assert.Equal(PaymentResultCode.Ok, created.Code);
        Assert.Equal(PaymentStatus.Authorized, created.Payment!.Status);
        return created.Payment;
    }

    private async Task<string> StateInDatabaseAsync(Guid id)
    {
        await using var command = cluster.Database.DataSource.CreateCommand("SELECT state FROM payments WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The grains store times at PostgreSQL's microsecond precision.</summary>
    private static DateTimeOffset Truncated(DateTimeOffset time) => new(time.Ticks - (time.Ticks % 10), TimeSpan.Zero);
}
