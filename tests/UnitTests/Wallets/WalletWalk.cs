using Payments.Actors.Events;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Xunit;

namespace Payments.Actors.UnitTests.Wallets;

/// <summary>
/// One wallet driven through <see cref="WalletDecider"/> the way the grain drives it: replay by key first, then
/// decide, then keep what a committed decision says (the aggregate, the key records, the ended holds). What it
/// keeps stands in for the database, so replays and "hold already ended" answers come from the decisions alone.
/// It also keeps the money that left or entered through the wallet's events and its payments' answers.
/// </summary>
internal sealed class WalletWalk(string walletId)
{
    public const string Merchant = "mer_walk";

    public WalletAggregate Wallet { get; private set; } = WalletAggregate.Empty(Merchant, walletId);

    public Dictionary<string, KeyedWalletOperation> Keys { get; } = new(StringComparer.Ordinal);

    public Dictionary<Guid, StoredWalletHold> EndedHolds { get; } = [];

    public List<(IIdempotentCommand Command, string Kind)> Issued { get; } = [];

    public List<WalletEvent> Events { get; } = [];

    /// <summary>Payment holds still held, and what each captured payment may still have refunded.</summary>
    public List<Guid> AuthorizedPayments { get; } = [];

    public Dictionary<Guid, long> Refundable { get; } = [];

    public long PaymentsCapturedMinor { get; private set; }

    public long PaymentsRefundedMinor { get; private set; }

    /// <summary>What the wallet owes its holder by its own books: available, held, and cash-outs the Bank has not answered.</summary>
    public static long Owed(WalletAggregate wallet) =>
        (wallet.State?.AvailableMinor ?? 0) + (wallet.State?.HeldMinor ?? 0) + wallet.Pending.Values.Where(o => o.IsCashOut).Sum(o => o.AmountMinor);

    /// <summary>The money events and payments moved, counted independently of the balances.</summary>
    public long OwedByEvents() =>
        Events.Sum(Signed) - PaymentsCapturedMinor + PaymentsRefundedMinor;

    public static long Signed(WalletEvent e) => e.Type switch
    {
        WalletEventTypes.CashedIn => e.AmountMinor,
        WalletEventTypes.CashedOut or WalletEventTypes.HoldCaptured => -e.AmountMinor,
        _ => throw new InvalidOperationException($"Unknown wallet event {e.Type}."),
    };

    /// <summary>Keeps a decision as the grain would once it is committed; checks what every written decision must hold.</summary>
    public void Commit(WalletAggregate next, IReadOnlyList<WalletChange> changes, IReadOnlyList<WalletEvent> events)
    {
        var before = Wallet;
        Assert.NotNull(next.State);
        if (before.State is null)
        {
            Assert.Equal(1, next.State!.Version);
        }
        else if (!ReferenceEquals(before.State, next.State))
        {
            Assert.Equal(before.State.Version + 1, next.State!.Version);
            Assert.Equal(before.State.Uid, next.State.Uid);
        }

        foreach (var change in changes)
        {
            Keep(before, next, change);
        }

        Events.AddRange(events);
        Wallet = next;
    }

    public void KeepPayment(PspRequest request, PspResult result)
    {
        if (result.Outcome != PspOutcome.Approved)
        {
            return;
        }

        switch (request.Operation)
        {
            case PspOperation.Authorize when request.Capture:
                PaymentsCapturedMinor += request.AmountMinor;
                Refundable[request.PaymentId] = request.AmountMinor;
                break;
            case PspOperation.Authorize:
                AuthorizedPayments.Add(request.PaymentId);
                break;
            case PspOperation.Capture:
                AuthorizedPayments.Remove(request.PaymentId);
                PaymentsCapturedMinor += request.AmountMinor;
                Refundable[request.PaymentId] = request.AmountMinor;
                break;
            case PspOperation.Void:
                AuthorizedPayments.Remove(request.PaymentId);
                break;
            case PspOperation.Refund:
                PaymentsRefundedMinor += request.AmountMinor;
                Refundable[request.PaymentId] -= request.AmountMinor;
                break;
        }
    }

    private void Keep(WalletAggregate before, WalletAggregate next, WalletChange change)
    {
        var uid = next.State!.Uid;
        switch (change)
        {
            case TransferStarted started:
                Keys.Add(started.Operation.IdempotencyKey,
                    new KeyedWalletOperation(started.Operation.OperationId, uid, started.Operation.Kind, started.Fingerprint, null));
                break;
            case OperationRecorded { IdempotencyKey: { } key } recorded:
                Keys.Add(key, new KeyedWalletOperation(recorded.OperationId, uid, recorded.Kind, recorded.Fingerprint, (WalletResult)recorded.Result));
                break;
            case TransferCompleted completed:
                var entry = Keys.Single(k => k.Value.OperationId == completed.OperationId);
                Keys[entry.Key] = entry.Value with { Result = completed.Result };
                break;
            case KeyReleased released:
                Assert.True(Keys.Remove(released.IdempotencyKey), $"Released key {released.IdempotencyKey} was never claimed.");
                break;
            case HoldEnded ended:
                var hold = before.Holds[ended.HoldId];
                Assert.InRange(ended.CapturedMinor, 0, hold.AmountMinor);
                EndedHolds[ended.HoldId] = new StoredWalletHold(ended.HoldId, hold.AmountMinor, ended.CapturedMinor, ended.State);
                break;
            case HoldOpened { State: WalletHoldStates.Captured } opened:
                EndedHolds[opened.Hold.HoldId] = new StoredWalletHold(opened.Hold.HoldId, opened.Hold.AmountMinor, opened.CapturedMinor, opened.State);
                break;
        }
    }
}
