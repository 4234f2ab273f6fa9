using Payments.Actors.ApiFront.Apis.Events;
using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Xunit;

namespace Payments.Actors.UnitTests.Wallets;

/// <summary>
/// One example for each refusal of <see cref="WalletDecider"/>, and for the answers that are not plain successes.
/// Wallets are built by running the decider itself (a cash-in the Bank booked), never by hand. A refusal writes nothing.
/// </summary>
public sealed class WalletDeciderTests
{
    private const string Merchant = "mer_1";
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly WalletsOptions Limits = new() { HoldsPerWalletMax = 2, PendingTransfersPerWalletMax = 1, HoldExpiryMax = TimeSpan.FromHours(1) };

    [Fact]
    public void ACashOutFromAWalletThatDoesNotExistIsRefused()
    {
        var decision = WalletDecider.CashOut(WalletAggregate.Empty(Merchant, "w"), CashOut(10), Id(), Limits, Now);

        AssertRefused(WalletResultCode.NotFound, decision);
    }

    [Fact]
    public void ACashInInAnotherCurrencyThanTheWalletsIsRefused()
    {
        var decision = WalletDecider.CashIn(Funded(100), CashIn(10, "USD"), Id(), Id(), Limits, Now);

        AssertRefused(WalletResultCode.CurrencyMismatch, decision);
    }

    [Fact]
    public void ACashOutLargerThanTheAvailableBalanceIsRefused()
    {
        var decision = WalletDecider.CashOut(Funded(100), CashOut(101), Id(), Limits, Now);

        AssertRefused(WalletResultCode.InsufficientFunds, decision);
    }

    [Fact]
    public void AHoldLargerThanTheAvailableBalanceIsRefused()
    {
        var held = Accept(WalletDecider.PlaceHold(Funded(100), Hold(70), Id(), Id(), Limits, Now));

        AssertRefused(WalletResultCode.InsufficientFunds, WalletDecider.PlaceHold(held, Hold(31), Id(), Id(), Limits, Now));
    }

    [Fact]
    public void ACashOutWhileTooManyTransfersWaitForTheBankIsRefused()
    {
        var waiting = Accept(WalletDecider.CashOut(Funded(100), CashOut(10), Id(), Limits, Now));

        AssertRefused(WalletResultCode.LimitExceeded, WalletDecider.CashOut(waiting, CashOut(10), Id(), Limits, Now));
        AssertRefused(WalletResultCode.LimitExceeded, WalletDecider.CashIn(waiting, CashIn(10), Id(), Id(), Limits, Now));
    }

    [Fact]
    public void AHoldBeyondTheOpenHoldLimitIsRefused()
    {
        var wallet = Funded(100);
        wallet = Accept(WalletDecider.PlaceHold(wallet, Hold(1), Id(), Id(), Limits, Now));
        wallet = Accept(WalletDecider.PlaceHold(wallet, Hold(1), Id(), Id(), Limits, Now));

        AssertRefused(WalletResultCode.LimitExceeded, WalletDecider.PlaceHold(wallet, Hold(1), Id(), Id(), Limits, Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3_601)]
    public void AHoldThatEndsAtOnceOrLastsLongerThanAllowedIsRefused(int seconds)
    {
        var decision = WalletDecider.PlaceHold(Funded(100), Hold(10, TimeSpan.FromSeconds(seconds)), Id(), Id(), Limits, Now);

        AssertRefused(WalletResultCode.LimitExceeded, decision);
    }

    [Fact]
    public void CapturingAHoldThatNeverExistedIsRefused()
    {
        var decision = WalletDecider.CaptureHold(Funded(100), Capture(Guid.NewGuid(), null), storedHold: null, Id(), Now);

        AssertRefused(WalletResultCode.HoldNotFound, decision);
    }

    [Fact]
    public void ReleasingAHoldThatAlreadyEndedIsRefused()
    {
        var holdId = Id();
        var stored = new StoredWalletHold(holdId, 10, 10, WalletHoldStates.Captured);

        var decision = WalletDecider.ReleaseHold(Funded(100), Release(holdId), stored, Id(), Now);

        AssertRefused(WalletResultCode.InvalidState, decision);
    }

    [Fact]
    public void ReleasingThroughTheWalletAHoldThatAPaymentPlacedIsRefused()
    {
        var paymentId = Id();
        var authorized = WalletDecider.ExecutePayment(Funded(100), Request(PspOperation.Authorize, paymentId, 40), Id(), Limits.HoldsPerWalletMax, Now);
        Assert.Equal(PspOutcome.Approved, authorized.Result.Outcome);

        AssertRefused(WalletResultCode.InvalidState, WalletDecider.ReleaseHold(authorized.Next, Release(paymentId), null, Id(), Now));
    }

    [Fact]
    public void CapturingMoreThanTheHoldIsRefused()
    {
        var holdId = Id();
        var held = Accept(WalletDecider.PlaceHold(Funded(100), Hold(40), holdId, Id(), Limits, Now));

        AssertRefused(WalletResultCode.AmountExceedsHeld, WalletDecider.CaptureHold(held, Capture(holdId, 41), null, Id(), Now));
    }

    [Fact]
    public void AKeyUsedForAnotherRequestIsRefusedWhenReplayed()
    {
        var wallet = Funded(100);
        var stored = new KeyedWalletOperation(Id(), wallet.State!.Uid, WalletOperationKinds.CashOut, "aa", null);

        var replay = WalletDecider.Replay(wallet, CashOut(10) with { Fingerprint = "bb" }, WalletOperationKinds.CashOut, stored, Now);

        Assert.Equal(WalletResultCode.IdempotencyKeyReused, replay?.Code);
    }

    [Fact]
    public void ARefusedReuseCarriesTheDigestsTheKeyWasFirstUsedWithSoTheEdgeCanNameTheFields()
    {
        var wallet = Funded(100);
        var stored = new KeyedWalletOperation(Id(), wallet.State!.Uid, WalletOperationKinds.CashOut, "aa", null, """{"amount_minor":"01"}""");

        var replay = WalletDecider.Replay(wallet, CashOut(10) with { Fingerprint = "bb", FieldDigests = """{"amount_minor":"02"}""" },
            WalletOperationKinds.CashOut, stored, Now);

        Assert.Equal((WalletResultCode.IdempotencyKeyReused, """{"amount_minor":"01"}"""), (replay?.Code, replay?.StoredFieldDigests));
    }

    [Fact]
    public void ACashOutTheBankCouldNotTakeGivesTheReservationBackAndFreesTheKey()
    {
        var wallet = Funded(100);
        var started = WalletDecider.CashOut(wallet, CashOut(30), Id(), Limits, Now);
        var pending = started.Started!;

        var decision = WalletDecider.ApplyBankOutcome(started.Next!, pending, new PspResult(PspOutcome.Rejected, null, PspErrorCodes.CircuitOpen, null), Now);

        Assert.Equal(WalletResultCode.BankUnavailable, decision.Rejection);
        Assert.Equal(100, decision.Next!.State!.AvailableMinor);
        Assert.Empty(decision.Next.Pending);
        Assert.Contains(new KeyReleased(pending.IdempotencyKey), decision.Changes);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void AnUnknownBankAnswerWritesNothingAndLeavesTheTransferPending()
    {
        var started = WalletDecider.CashIn(WalletAggregate.Empty(Merchant, "w"), CashIn(30), Id(), Id(), Limits, Now);

        var decision = WalletDecider.ApplyBankOutcome(started.Next!, started.Started!, new PspResult(PspOutcome.Unknown, null, null, "timeout"), Now);

        Assert.Null(decision.Next);
        Assert.Null(decision.Rejection);
        Assert.Equal(WalletResultCode.Pending, decision.Result.Code);
    }

    [Fact]
    public void ACashOutTheBankDeclinedGivesTheReservationBackAndTellsTheLedgerNothing()
    {
        var started = WalletDecider.CashOut(Funded(100), CashOut(30), Id(), Limits, Now);
        Assert.Equal(70, started.Next!.State!.AvailableMinor);

        var decision = WalletDecider.ApplyBankOutcome(started.Next, started.Started!, new PspResult(PspOutcome.Declined, "ref", "AC04", null), Now);

        Assert.Equal(100, decision.Next!.State!.AvailableMinor);
        Assert.Equal(WalletOperationStates.Declined, decision.Result.Operation!.State);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void APaymentLargerThanTheAvailableBalanceIsDeclinedAndRecorded()
    {
        var decision = WalletDecider.ExecutePayment(Funded(100), Request(PspOperation.Authorize, Id(), 101), Id(), Limits.HoldsPerWalletMax, Now);

        Assert.Equal((PspOutcome.Declined, "INSUFFICIENT_FUNDS"), (decision.Result.Outcome, decision.Result.DeclineCode));
        Assert.Equal(100, decision.Next.State!.AvailableMinor);
        Assert.Single(decision.Changes.OfType<OperationRecorded>(), r => r.State == WalletOperationStates.Declined);
    }

    [Fact]
    public void ACaptureOfAPaymentTheWalletHoldsNothingForIsRejected()
    {
        var decision = WalletDecider.ExecutePayment(Funded(100), Request(PspOperation.Capture, Id(), 10), Id(), Limits.HoldsPerWalletMax, Now);

        Assert.Equal((PspOutcome.Rejected, "INVALID_TRANSACTION"), (decision.Result.Outcome, decision.Result.DeclineCode));
    }

    [Fact]
    public void TheFirstCashInsWriteUnitCreatesTheWalletBeforeItsOperation()
    {
        var empty = WalletAggregate.Empty(Merchant, "w");
        var decision = WalletDecider.CashIn(empty, CashIn(30), Id(), Id(), Limits, Now);

        var unit = WalletWriteUnit.Of(empty, decision.Next!, decision.Changes, decision.Events, TimeSpan.FromDays(1), Now, new MerchantEventRenderer(), decision.Result);

        Assert.Equal(new[] { "INSERT INTO wallets", "INSERT INTO idempotency_keys", "INSERT INTO wallet_operations" },
            unit.Select(s => string.Join(' ', s.Sql.Split(' ').Take(3))));
    }

    [Fact]
    public void ACapturedHoldsWriteUnitGuardsTheVersionAndCarriesItsEventForTheLedgerAndTheMerchantUnderOneId()
    {
        var holdId = Id();
        var held = Accept(WalletDecider.PlaceHold(Funded(100), Hold(40), holdId, Id(), Limits, Now));
        var decision = WalletDecider.CaptureHold(held, Capture(holdId, 25), null, Id(), Now);

        var unit = WalletWriteUnit.Of(held, decision.Next!, decision.Changes, decision.Events, TimeSpan.FromDays(1), Now, new MerchantEventRenderer(), decision.Result);

        Assert.Equal(new WalletEvent(WalletEventTypes.HoldCaptured, 25, decision.Result.Operation!.Id, holdId), Assert.Single(decision.Events));
        Assert.StartsWith("UPDATE wallets", unit[0].Sql, StringComparison.Ordinal);
        Assert.Equal(held.State!.Version, unit[0].Values[^1].Value);
        Assert.StartsWith("INSERT INTO outbox_events", unit[^2].Sql, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO merchant_events", unit[^1].Sql, StringComparison.Ordinal);
        Assert.Equal(unit[^2].Values[0].Value, unit[^1].Values[0].Value);
        var body = System.Text.Json.JsonDocument.Parse((string)unit[^1].Values[4].Value!).RootElement;
        Assert.Equal((WalletEventTypes.HoldCaptured, "wallet_hold", "CAPTURED"),
            (body.GetProperty("type").GetString(), body.GetProperty("data").GetProperty("object").GetProperty("object").GetString(),
             body.GetProperty("data").GetProperty("object").GetProperty("state").GetString()));
        Assert.Equal((75L, 0L), (decision.Next!.State!.AvailableMinor, decision.Next.State.HeldMinor));
    }

    /// <summary>A wallet holding <paramref name="amountMinor"/>: one cash-in the Bank booked.</summary>
    private static WalletAggregate Funded(long amountMinor)
    {
        var started = WalletDecider.CashIn(WalletAggregate.Empty(Merchant, "w"), CashIn(amountMinor), Id(), Id(), Limits, Now);
        var booked = WalletDecider.ApplyBankOutcome(started.Next!, started.Started!, new PspResult(PspOutcome.Approved, "ref", null, null), Now);
        Assert.Equal(amountMinor, booked.Next!.State!.AvailableMinor);
        return booked.Next;
    }

    private static WalletAggregate Accept(WalletDecision decision)
    {
        Assert.Null(decision.Rejection);
        return decision.Next!;
    }

    private static void AssertRefused(WalletResultCode code, WalletDecision decision)
    {
        Assert.Equal(code, decision.Rejection);
        Assert.Equal(code, decision.Result.Code);
        Assert.Null(decision.Next);
        Assert.Empty(decision.Changes);
        Assert.Empty(decision.Events);
    }

    private static Guid Id() => UuidV7.New(Now);

    private static string Key() => $"key-{Guid.NewGuid():N}";

    private static CashIn CashIn(long amount, string currency = "EUR") => new(Merchant, Key(), "aa", amount, currency, null);

    private static CashOut CashOut(long amount) => new(Merchant, Key(), "aa", amount, "EUR", null);

    private static PlaceHold Hold(long amount, TimeSpan? expiresIn = null) => new(Merchant, Key(), "aa", amount, "EUR", expiresIn ?? TimeSpan.FromMinutes(5));

    private static CaptureHold Capture(Guid holdId, long? amount) => new(Merchant, Key(), "aa", holdId, amount);

    private static ReleaseHold Release(Guid holdId) => new(Merchant, Key(), "aa", holdId);

    private static PspRequest Request(PspOperation operation, Guid paymentId, long amount) =>
        new($"req-{operation}", operation, paymentId, amount, "EUR", false, null, null);
}
