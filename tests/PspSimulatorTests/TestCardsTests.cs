using Payments.Actors.PspSimulator.Bank;
using Payments.Actors.PspSimulator.PspA;
using Payments.Actors.PspSimulator.PspB;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulatorTests;

public sealed class TestCardsTests
{
    [Theory]
    [InlineData("4242424242424242", CardOutcome.Approved)]
    [InlineData("5555555555554444", CardOutcome.Approved)]
    [InlineData("4000000000000002", CardOutcome.DeclinedDoNotHonor)]
    [InlineData("4000000000009995", CardOutcome.DeclinedInsufficientFunds)]
    [InlineData("4000000000000069", CardOutcome.DeclinedExpiredCard)]
    [InlineData("4000000000000119", CardOutcome.ProcessingError)]
    [InlineData("4000000000000259", CardOutcome.Approved)]
    [InlineData("4000000000000093", CardOutcome.IssuerUnavailable)]
    [InlineData("4000000000000010", CardOutcome.Approved)]
    [InlineData("4242424242424241", CardOutcome.InvalidCard)]
    [InlineData("42424242", CardOutcome.InvalidCard)]
    [InlineData("4242 4242 4242 4242", CardOutcome.InvalidCard)]
    internal void EachTestCardHasItsOutcome(string pan, CardOutcome outcome)
    {
        Assert.Equal(outcome, TestCards.Decide(pan, 1000, forceDecline: false).Outcome);
    }

    [Fact]
    public void OnlyTheSlowCardIsSlow()
    {
        Assert.True(TestCards.Decide(TestCards.SlowApproval, 1000, forceDecline: false).Slow);
        Assert.False(TestCards.Decide(TestCards.VisaApproved, 1000, forceDecline: false).Slow);
    }

    [Fact]
    public void CardDataIsMaskedWhenRecordsArePrinted()
    {
        var pspA = new PspACreatePaymentRequest("r", 1000, "USD", true, new PspACardRequest("4242424242424242", 12, 2030, "987")).ToString();
        var pspB = new PspBTransactionRequest("m", 1000, "USD", "AUTH", "4242424242424242", "12/30", "987").ToString();
        var bank = new BankTransferRequest("t", "CREDIT", new BankAccount("DE89370400440532013000"), new BankValue("1.00", "EUR")).ToString();

        foreach (var printed in new[] { pspA, pspB })
        {
            Assert.DoesNotContain("4242424242424242", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("987", printed, StringComparison.Ordinal);
            Assert.Contains("****4242", printed, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("DE89370400440532013000", bank, StringComparison.Ordinal);
        Assert.Contains("DE****3000", bank, StringComparison.Ordinal);
    }
}
