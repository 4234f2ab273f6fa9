using Payments.Actors.Wallets;

namespace Payments.Actors.GrainTests;

[Collection(GrainClusterCollection.Name)]
public sealed class WalletRaceTests(GrainClusterFixture cluster)
{
    private const long Balance = 1_000;
    private const long Slice = 250;

    [Fact]
    public async Task ConcurrentCashOutsAndHoldsWorthMoreThanTheBalanceSucceedExactlyAsFarAsItGoesAndNeverOverdraw()
    {
        var walletId = $"w-{Guid.NewGuid():N}";
        var wallet = cluster.Client.GetGrain<IWalletGrain>(IWalletGrain.KeyOf(Commands.Merchant, walletId));
        var funded = await wallet.CashInAsync(Commands.CashIn(Balance));
        Assert.Equal((WalletResultCode.Ok, WalletOperationStates.Succeeded), (funded.Code, funded.Operation!.State));
        var creditsBefore = cluster.Bank.Booked("CREDIT");

        // Eight claims of a quarter of the balance each, cash-outs and holds interleaved, all in flight at once.
        var cashOuts = Enumerable.Range(0, 4).Select(_ => wallet.CashOutAsync(Commands.CashOut(Slice))).ToList();
        var holds = Enumerable.Range(0, 4).Select(_ => wallet.PlaceHoldAsync(Commands.Hold(Slice))).ToList();
        var cashOutAnswers = await Task.WhenAll(cashOuts);
        var holdAnswers = await Task.WhenAll(holds);

        var answers = cashOutAnswers.Concat(holdAnswers).ToList();
        Assert.Equal(Balance / Slice, answers.Count(a => a.Code == WalletResultCode.Ok));
        Assert.All(answers.Where(a => a.Code != WalletResultCode.Ok), a => Assert.Equal(WalletResultCode.InsufficientFunds, a.Code));
        var paidOut = cashOutAnswers.Count(a => a.Code == WalletResultCode.Ok);
        var held = holdAnswers.Count(a => a.Code == WalletResultCode.Ok);
        Assert.Equal(paidOut, cluster.Bank.Booked("CREDIT") - creditsBefore);

        var snapshot = (await wallet.GetAsync())!;
        Assert.Equal((0L, held * Slice, Balance - (paidOut * Slice)), (snapshot.AvailableMinor, snapshot.HeldMinor, snapshot.BalanceMinor));
        Assert.Equal(0, await cluster.Database.ScalarAsync(
            "SELECT available_minor FROM wallets WHERE merchant_id = $1 AND wallet_id = $2", Commands.Merchant, walletId));
        Assert.Equal(held * Slice, await cluster.Database.ScalarAsync(
            "SELECT held_minor FROM wallets WHERE merchant_id = $1 AND wallet_id = $2", Commands.Merchant, walletId));
    }
}
