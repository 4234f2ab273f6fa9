using System.Collections.Immutable;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// Everything the wallet grain decides from, as one immutable value: the balances (none before the first
/// cash-in), the holds still held and the Bank transfers still waiting for an answer. The grain keeps one and
/// swaps it for the decision's once that is committed.
/// </summary>
public sealed record WalletAggregate(
    string MerchantId,
    string WalletId,
    WalletState? State,
    ImmutableDictionary<Guid, WalletHold> Holds,
    ImmutableDictionary<Guid, PendingBankOperation> Pending)
{
    public static WalletAggregate Empty(string merchantId, string walletId) =>
        new(merchantId, walletId, null, ImmutableDictionary<Guid, WalletHold>.Empty, ImmutableDictionary<Guid, PendingBankOperation>.Empty);

    public static WalletAggregate Of(string merchantId, string walletId, LoadedWallet? loaded) => loaded is null
        ? Empty(merchantId, walletId)
        : new(merchantId, walletId, loaded.State,
            loaded.Holds.ToImmutableDictionary(h => h.HoldId),
            loaded.Pending.ToImmutableDictionary(o => o.OperationId));

    /// <summary>Nothing for the upkeep reminder to do: no Bank answer outstanding and no hold that expires.</summary>
    public bool IsIdle => Pending.IsEmpty && !Holds.Values.Any(h => h.ExpiresAt is not null);

    /// <summary>When the next hold expires, if any does.</summary>
    public DateTimeOffset? NextExpiry => Holds.Values.Where(h => h.ExpiresAt is not null).Select(h => h.ExpiresAt).Min();

    public WalletSnapshot Snapshot(WalletState state, long ledgerMinor) => state.ToSnapshot(
        Pending.Values.Where(o => o.IsCashOut).Sum(o => o.AmountMinor),
        [.. Holds.Values.OrderBy(h => h.CreatedAt).ThenBy(h => h.HoldId).Select(h => h.ToSnapshot(state, WalletHoldStates.Held, 0, h.CreatedAt))],
        ledgerMinor);
}
