using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Payments.Actors.Webhooks;
using Xunit;

namespace Payments.Actors.UnitTests.Webhooks;

/// <summary>
/// What the Bank's notification does to a wallet: settle the pending cash-in or cash-out it names, through the same
/// completion as a live answer, or change nothing. Wallets are built by running the decider itself.
/// </summary>
public sealed class TransferNotificationRulesTests
{
    private const string Merchant = "mer_1";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly WalletsOptions Limits = new() { HoldsPerWalletMax = 2, PendingTransfersPerWalletMax = 4, HoldExpiryMax = TimeSpan.FromHours(1) };
    private static int _events;

    [Fact]
    public void ABookedNotificationSettlesThePendingCashInAsApprovedAndTheCompletionCreditsTheWalletOnce()
    {
        var (wallet, pending) = PendingCashIn(1_250);

        var verdict = TransferNotificationRules.Judge(wallet, null, Notify(pending, PspNotificationKind.TransferBooked));

        Assert.Equal(PspNotificationOutcome.Applied, verdict.Outcome);
        Assert.Equal(new PspResult(PspOutcome.Approved, "BT1", null, null), verdict.Settles);
        var completed = WalletDecider.ApplyBankOutcome(wallet, pending, verdict.Settles!, Now);
        Assert.Equal(1_250, completed.Next!.State!.AvailableMinor);
        Assert.Empty(completed.Next.Pending);
        Assert.Equal(WalletEventTypes.CashedIn, Assert.Single(completed.Events).Type);
    }

    [Theory]
    [InlineData("AC04", "ACCOUNT_CLOSED")]
    [InlineData("AM04", "INSUFFICIENT_FUNDS")]
    [InlineData("AG01", "TRANSACTION_NOT_ALLOWED")]
    [InlineData(null, "DECLINED")]
    public void ARejectedNotificationDeclinesThePendingCashOutWithTheCodeTheConnectorGivesAndTheReservationComesBack(string? reason, string code)
    {
        var (wallet, pending) = PendingCashOut(funded: 1_000, amount: 400);
        Assert.Equal(600, wallet.State!.AvailableMinor);

        var verdict = TransferNotificationRules.Judge(wallet, null, Notify(pending, PspNotificationKind.TransferRejected, reason: reason));

        Assert.Equal(PspNotificationOutcome.Applied, verdict.Outcome);
        Assert.Equal((PspOutcome.Declined, code), (verdict.Settles!.Outcome, verdict.Settles.DeclineCode));
        var completed = WalletDecider.ApplyBankOutcome(wallet, pending, verdict.Settles, Now);
        Assert.Equal((WalletOperationStates.Declined, code), (completed.Result.Operation!.State, completed.Result.Operation.DeclineCode));
        Assert.Equal(1_000, completed.Next!.State!.AvailableMinor);
        Assert.Empty(completed.Events);
    }

    [Theory]
    [InlineData(PspNotificationKind.TransferBooked, WalletOperationStates.Succeeded)]
    [InlineData(PspNotificationKind.TransferRejected, WalletOperationStates.Declined)]
    [InlineData(PspNotificationKind.TransferRejected, WalletOperationStates.Failed)]
    public void ANotificationOfWhatTheFinishedOperationAlreadySaysIsReflectedAndSettlesNothing(PspNotificationKind kind, string state)
    {
        var (wallet, pending) = PendingCashIn(700);
        var finished = Finished(pending, state);

        var verdict = TransferNotificationRules.Judge(Settled(wallet, pending), finished, Notify(pending, kind));

        Assert.Equal(PspNotificationOutcome.AlreadyReflected, verdict.Outcome);
        Assert.Null(verdict.Settles);
    }

    [Theory]
    [InlineData(PspNotificationKind.TransferBooked, WalletOperationStates.Declined)]
    [InlineData(PspNotificationKind.TransferBooked, WalletOperationStates.Failed)]
    [InlineData(PspNotificationKind.TransferRejected, WalletOperationStates.Succeeded)]
    public void TheOppositeOutcomeForAFinishedOperationIsADiscrepancyAndChangesNothing(PspNotificationKind kind, string state)
    {
        var (wallet, pending) = PendingCashOut(funded: 500, amount: 200);

        var verdict = TransferNotificationRules.Judge(Settled(wallet, pending), Finished(pending, state), Notify(pending, kind));

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
        Assert.Null(verdict.Settles);
        Assert.Contains(state, verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_249L, "EUR")]
    [InlineData(1_251L, "EUR")]
    [InlineData(1_250L, "USD")]
    [InlineData(null, "EUR")]
    [InlineData(1_250L, null)]
    public void AnotherAmountOrCurrencyThanThePendingTransfersIsADiscrepancyAndSettlesNothing(long? amount, string? currency)
    {
        var (wallet, pending) = PendingCashIn(1_250);
        var notification = Notify(pending, PspNotificationKind.TransferBooked) with { AmountMinor = amount, Currency = currency };

        var verdict = TransferNotificationRules.Judge(wallet, null, notification);

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
        Assert.Null(verdict.Settles);
    }

    [Fact]
    public void AnotherAmountThanTheFinishedOperationsIsADiscrepancyEvenWhenTheOutcomeAgrees()
    {
        var (wallet, pending) = PendingCashIn(1_250);
        var notification = Notify(pending, PspNotificationKind.TransferBooked) with { AmountMinor = 12_500 };

        var verdict = TransferNotificationRules.Judge(Settled(wallet, pending), Finished(pending, WalletOperationStates.Succeeded), notification);

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
    }

    [Fact]
    public void ATransferNotificationFromAnotherProviderSettlesNothing()
    {
        var (wallet, pending) = PendingCashIn(300);

        var verdict = TransferNotificationRules.Judge(wallet, null, Notify(pending, PspNotificationKind.TransferBooked) with { Provider = WebhookProviders.PspA });

        Assert.Equal(PspNotificationOutcome.Discrepancy, verdict.Outcome);
        Assert.Null(verdict.Settles);
    }

    [Fact]
    public void AReferenceTheWalletHasNoTransferForIsUnknown()
    {
        var (wallet, pending) = PendingCashIn(300);
        var other = Notify(pending, PspNotificationKind.TransferBooked) with { TransferRef = Guid.NewGuid().ToString("N") };

        Assert.Equal(PspNotificationOutcome.UnknownTransfer, TransferNotificationRules.Judge(wallet, null, other).Outcome);
        Assert.Null(TransferNotificationRules.PendingFor(wallet, other));
        Assert.Equal(PspNotificationOutcome.UnknownTransfer,
            TransferNotificationRules.Judge(WalletAggregate.Empty(Merchant, "w"), null, Notify(pending, PspNotificationKind.TransferBooked)).Outcome);
    }

    [Fact]
    public void ACardNotificationIsNotForAWallet()
    {
        var (wallet, pending) = PendingCashIn(300);

        var verdict = TransferNotificationRules.Judge(wallet, null, Notify(pending, PspNotificationKind.Captured));

        Assert.Equal(PspNotificationOutcome.Unsupported, verdict.Outcome);
    }

    /// <summary>Every kind against a pending transfer and against every finished state: only the pending one is ever settled.</summary>
    [Fact]
    public void OnlyAPendingTransferIsEverSettledSoNoNotificationChangesAFinishedOperation()
    {
        var (wallet, pending) = PendingCashOut(funded: 900, amount: 300);
        string[] states = [WalletOperationStates.Succeeded, WalletOperationStates.Declined, WalletOperationStates.Failed];
        foreach (var kind in Enum.GetValues<PspNotificationKind>())
        {
            foreach (var state in states)
            {
                var verdict = TransferNotificationRules.Judge(Settled(wallet, pending), Finished(pending, state), Notify(pending, kind));
                Assert.True(verdict.Outcome != PspNotificationOutcome.Applied && verdict.Settles is null, $"{kind} against {state}: {verdict}");
            }

            var live = TransferNotificationRules.Judge(wallet, null, Notify(pending, kind));
            Assert.Equal(kind is PspNotificationKind.TransferBooked or PspNotificationKind.TransferRejected, live.Outcome == PspNotificationOutcome.Applied);
        }
    }

    private static PspNotification Notify(PendingBankOperation operation, PspNotificationKind kind, string? reason = null) =>
        new(Guid.NewGuid(), WebhookProviders.Bank, $"BN{Interlocked.Increment(ref _events)}", kind, null, operation.RequestId, "BT1", null,
            operation.AmountMinor, "EUR", reason, null, null, Now);

    private static (WalletAggregate Wallet, PendingBankOperation Pending) PendingCashIn(long amount)
    {
        var started = WalletDecider.CashIn(WalletAggregate.Empty(Merchant, "w"), new CashIn(Merchant, Key(), "aa", amount, "EUR", null), Id(), Id(), Limits, Now);
        return (started.Next!, started.Started!);
    }

    private static (WalletAggregate Wallet, PendingBankOperation Pending) PendingCashOut(long funded, long amount)
    {
        var (wallet, cashIn) = PendingCashIn(funded);
        wallet = WalletDecider.ApplyBankOutcome(wallet, cashIn, new PspResult(PspOutcome.Approved, "BT0", null, null), Now).Next!;
        var started = WalletDecider.CashOut(wallet, new CashOut(Merchant, Key(), "aa", amount, "EUR", null), Id(), Limits, Now);
        return (started.Next!, started.Started!);
    }

    /// <summary>The wallet once the transfer is no longer pending (how it finished is <see cref="Finished"/>'s to say).</summary>
    private static WalletAggregate Settled(WalletAggregate wallet, PendingBankOperation pending) => wallet with { Pending = wallet.Pending.Remove(pending.OperationId) };

    private static StoredTransfer Finished(PendingBankOperation pending, string state) => new(pending.OperationId, pending.Kind, state, pending.AmountMinor, "EUR");

    private static Guid Id() => UuidV7.New(Now);

    private static string Key() => $"key-{Guid.NewGuid():N}";
}
