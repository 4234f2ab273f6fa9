using System.Text.Json;
using Payments.Actors.Events;
using Payments.Actors.Grains.MerchantEvents;
using Payments.Actors.Infrastructure.Postgres;
using Payments.Actors.Wallets;

namespace Payments.Actors.Grains.Wallets;

/// <summary>
/// Turns a <see cref="WalletDecider"/> decision into the one write unit that commits it: the balances (guarded by
/// the version the decision started from), the decision's changes in their order, then its outbox events, so the
/// money, its records and the events that tell the ledger about it commit together or not at all. Each outbox event has
/// its merchant event (same id; what the API answered for the change) and its webhook
/// deliveries in the same unit.
/// </summary>
public static class WalletWriteUnit
{
    /// <param name="shown">What the API answers for this change; required when there are events (their object).</param>
    public static IReadOnlyList<SqlStatement> Of(WalletAggregate before, WalletAggregate after, IReadOnlyList<WalletChange> changes,
        IReadOnlyList<WalletEvent> events, TimeSpan keyTtl, DateTimeOffset now, IMerchantEventRenderer renderer, WalletResult? shown)
    {
        var wallet = after.State;
        Invariant.Assert(wallet is not null, $"Wallet {after.WalletId}: a decision to write left no wallet.");
        var unit = new List<SqlStatement>(changes.Count + events.Count + 1);
        if (before.State is null)
        {
            unit.Add(WalletStore.InsertWallet(wallet!));
        }
        else if (!ReferenceEquals(before.State, wallet))
        {
            unit.Add(WalletStore.UpdateWallet(wallet!, before.State.Version));
        }

        foreach (var change in changes)
        {
            unit.Add(Statement(wallet!, change, keyTtl, now));
        }

        Invariant.Assert(events.Count == 0 || shown is not null, $"Wallet {wallet!.Uid}: events to write without the answer they show.");
        var ids = events.Select(_ => UuidV7.New(now)).Order().ToArray();
        for (var i = 0; i < events.Count; i++)
        {
            var (id, @event) = (ids[i], events[i]);
            unit.Add(WalletStore.InsertOutbox(wallet!, @event.Type, @event.AmountMinor, @event.OperationId, id, now, @event.HoldId, @event.Metadata));
            unit.Add(MerchantEventStore.Insert(id, wallet!.MerchantId, @event.Type,
                renderer.RenderWallet(id, @event.Type, UuidV7.TimestampOf(id), shown!.Operation, shown.Hold)));
        }

        return unit;
    }

    private static SqlStatement Statement(WalletState wallet, WalletChange change, TimeSpan keyTtl, DateTimeOffset now) => change switch
    {
        KeyClaimed claim => IdempotencyKeys.Claim(wallet.MerchantId, claim.IdempotencyKey, claim.Fingerprint, claim.FieldDigests, IdempotencyKeys.WalletOperation, null,
            now, keyTtl),
        KeyReleased release => WalletStore.ReleaseKey(wallet.MerchantId, release.IdempotencyKey),
        HoldOpened opened => WalletStore.InsertHold(wallet, opened.Hold, opened.State, opened.CapturedMinor, now),
        HoldEnded ended => WalletStore.EndHold(wallet.Uid, ended.HoldId, ended.State, ended.CapturedMinor, now),
        TransferStarted started => WalletStore.InsertOperation(started.Operation.OperationId, wallet, started.Operation.Kind,
            started.Operation.IdempotencyKey, started.Fingerprint, started.Operation.RequestId, started.Operation.AmountMinor,
            WalletOperationStates.Pending, null, null, null, null, now, started.Operation.Metadata),
        TransferCompleted completed => WalletStore.CompleteOperation(completed.OperationId, completed.State, completed.BankReference,
            completed.DeclineCode, Serialize(completed.Result), now),
        TransferForgotten forgotten => WalletStore.DeleteOperation(forgotten.OperationId),
        OperationRecorded recorded => WalletStore.InsertOperation(recorded.OperationId, wallet, recorded.Kind, recorded.IdempotencyKey,
            recorded.Fingerprint, recorded.RequestId, recorded.AmountMinor, recorded.State, recorded.HoldId, null, recorded.DeclineCode,
            Serialize(recorded.Result), now, recorded.Metadata),
        _ => throw new InvariantViolationException($"Wallet {wallet.Uid}: no statement writes a {change.GetType().Name}."),
    };

    /// <summary>The stored result, as every replay and inquiry reads it back.</summary>
    private static byte[] Serialize(object result) => JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), WalletStore.Json);
}
