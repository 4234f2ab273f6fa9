using Xunit;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Wallets;

namespace Payments.Actors.UnitTests.Wallets;

public sealed class WalletStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static WalletState Wallet(long available) => WalletState.New(Guid.NewGuid(), "m", "w1", "EUR", Now).Credit(available, Now);

    [Fact]
    public void DebitBeyondTheAvailableBalanceIsAnInvariantViolation()
    {
        Assert.Throws<InvariantViolationException>(() => Wallet(100).Debit(101, Now));
    }

    [Fact]
    public void HoldMovesAvailableToHeldAndCaptureInPartReturnsTheRest()
    {
        var held = Wallet(100).Hold(60, Now);
        var captured = held.EndHold(60, 25, Now);

        Assert.Equal((40L, 60L), (held.AvailableMinor, held.HeldMinor));
        Assert.Equal((75L, 0L), (captured.AvailableMinor, captured.HeldMinor));
        Assert.Equal(held.Version + 1, captured.Version);
    }

    [Fact]
    public void CapturingMoreThanTheHoldIsAnInvariantViolation()
    {
        Assert.Throws<InvariantViolationException>(() => Wallet(100).Hold(50, Now).EndHold(50, 51, Now));
    }

    [Fact]
    public void NonPositiveAmountsAreInvariantViolations()
    {
        Assert.Throws<InvariantViolationException>(() => Wallet(100).Credit(0, Now));
        Assert.Throws<InvariantViolationException>(() => Wallet(100).Hold(-1, Now));
    }

    [Fact]
    public void BalanceCountsHeldAndPendingCashOuts()
    {
        var snapshot = Wallet(100).Hold(30, Now).ToSnapshot(pendingCashOutMinor: 20, holds: [], ledgerMinor: 0);

        Assert.Equal(70 + 30 + 20, snapshot.BalanceMinor);
    }
}
