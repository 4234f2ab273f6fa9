using Payments.Actors.ApiFront.Apis.Events;
using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Xunit;

namespace Payments.Actors.UnitTests.Wallets;

/// <summary>A cash-in's, cash-out's or hold's metadata is shown on it from the first answer to the last and carried by the event that books it.</summary>
public sealed class WalletMetadataTests
{
    private const string Merchant = "mer_1";
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly WalletsOptions Limits = new() { HoldsPerWalletMax = 2, PendingTransfersPerWalletMax = 2, HoldExpiryMax = TimeSpan.FromHours(1) };
    private static readonly Metadata Tags = Metadata.Of([new("payout_batch", "B-7")])!;

    [Fact]
    public void ACashInShowsItsMetadataWhilePendingAndOnceBookedAndItsEventCarriesIt()
    {
        var started = WalletDecider.CashIn(WalletAggregate.Empty(Merchant, "w"), CashIn(500, Tags), Id(), Id(), Limits, Now);
        var booked = WalletDecider.ApplyBankOutcome(started.Next!, started.Started!, new PspResult(PspOutcome.Approved, "ref", null, null), Now);

        Assert.Equal(Tags, started.Result.Operation!.Metadata);
        Assert.Equal(Tags, started.Started!.Metadata);
        Assert.Equal(Tags, booked.Result.Operation!.Metadata);
        Assert.Equal(Tags, Assert.Single(booked.Events).Metadata);
    }

    [Fact]
    public void TheTransfersMetadataIsWrittenWithItsOperationRow()
    {
        var empty = WalletAggregate.Empty(Merchant, "w");
        var started = WalletDecider.CashIn(empty, CashIn(500, Tags), Id(), Id(), Limits, Now);

        var unit = WalletWriteUnit.Of(empty, started.Next!, started.Changes, started.Events, TimeSpan.FromDays(1), Now, new MerchantEventRenderer(), started.Result);

        var insert = Assert.Single(unit, s => s.Sql.StartsWith("INSERT INTO wallet_operations", StringComparison.Ordinal));
        Assert.Contains(", metadata)", insert.Sql, StringComparison.Ordinal);
        Assert.Equal("""{"payout_batch":"B-7"}""", insert.Values[^1].Value);
    }

    [Fact]
    public void AHoldKeepsItsMetadataUntilItIsCapturedAndTheCaptureEventCarriesIt()
    {
        var holdId = Id();
        var placed = WalletDecider.PlaceHold(Funded(100), new PlaceHold(Merchant, Key(), "aa", 40, "EUR", TimeSpan.FromMinutes(5), Tags), holdId, Id(),
            Limits, Now);
        var captured = WalletDecider.CaptureHold(placed.Next!, new CaptureHold(Merchant, Key(), "aa", holdId, 25), null, Id(), Now);

        Assert.Equal(Tags, placed.Result.Hold!.Metadata);
        Assert.Equal(Tags, placed.Next!.Holds[holdId].Metadata);
        Assert.Equal(Tags, Assert.Single(placed.Next.Snapshot(placed.Next.State!, 0).Holds).Metadata);
        Assert.Equal(Tags, captured.Result.Hold!.Metadata);
        Assert.Null(captured.Result.Operation!.Metadata);
        Assert.Equal(Tags, Assert.Single(captured.Events).Metadata);
    }

    [Fact]
    public void AWalletEventWithoutMetadataShowsAnEmptyObject()
    {
        var wallet = WalletState.New(Id(), Merchant, "w", "EUR", Now);

        var payload = (string)WalletStore.InsertOutbox(wallet, WalletEventTypes.CashedIn, 500, Id(), Id(), Now).Values[4].Value!;

        Assert.Contains("\"metadata\":{}", payload, StringComparison.Ordinal);
    }

    private static WalletAggregate Funded(long amountMinor)
    {
        var started = WalletDecider.CashIn(WalletAggregate.Empty(Merchant, "w"), CashIn(amountMinor, null), Id(), Id(), Limits, Now);
        return WalletDecider.ApplyBankOutcome(started.Next!, started.Started!, new PspResult(PspOutcome.Approved, "ref", null, null), Now).Next!;
    }

    private static CashIn CashIn(long amount, Metadata? metadata) => new(Merchant, Key(), "aa", amount, "EUR", null, metadata);

    private static Guid Id() => UuidV7.New(Now);

    private static string Key() => $"key-{Guid.NewGuid():N}";
}
