using Payments.Actors.Events;
using Payments.Actors.Grains;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Payments;
using Payments.Actors.Psp;
using Payments.Actors.Wallets;
using Xunit;

namespace Payments.Actors.UnitTests.Wallets;

/// <summary>
/// Random walks over many wallets (seeded, so a failure replays exactly): random cash-ins, cash-outs, holds,
/// captures, releases, Bank answers, expiries, payments and replays, with random amounts. After every step the
/// money invariants are checked, every refusal against an independent statement of the rules, and the events
/// against the balances they describe.
/// </summary>
public sealed class WalletDeciderPropertyTests
{
    private const int StepsPerRun = 4_000;
    private const int LiveWalletsMax = 12;
    private const string Currency = "EUR";

    private static readonly DateTimeOffset T0 = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static readonly WalletsOptions Limits = new()
    {
        HoldsPerWalletMax = 6,
        PendingTransfersPerWalletMax = 3,
        HoldExpiryMax = TimeSpan.FromMinutes(10),
    };

    [Theory]
    [InlineData(20260203)]
    [InlineData(13)]
    [InlineData(770077)]
    public void RandomCommandSequencesNeverBreakTheMoneyInvariants(int seed)
    {
        var random = new Random(seed);
        var wallets = new List<WalletWalk>();
        var refusals = new HashSet<WalletResultCode>();
        var now = T0;
        for (var step = 0; step < StepsPerRun; step++)
        {
            now = now.AddSeconds(random.Next(1, 40));
            if (wallets.Count == 0 || (wallets.Count < LiveWalletsMax && random.Next(25) == 0))
            {
                wallets.Add(new WalletWalk($"w{step}"));
            }

            var walk = wallets[random.Next(wallets.Count)];
            var before = walk.Wallet;
            var owedBefore = WalletWalk.Owed(before);
            var eventsBefore = walk.Events.Count;
            var paymentsBefore = walk.PaymentsRefundedMinor - walk.PaymentsCapturedMinor;
            if (Step(random, walk, step, now) is { } refusal)
            {
                refusals.Add(refusal);
            }

            AssertMoneyInvariants(walk);
            var moved = walk.Events.Skip(eventsBefore).Sum(WalletWalk.Signed) + (walk.PaymentsRefundedMinor - walk.PaymentsCapturedMinor - paymentsBefore);
            Assert.True(WalletWalk.Owed(walk.Wallet) - owedBefore == moved, $"Step {step}: the balances moved {WalletWalk.Owed(walk.Wallet) - owedBefore}, the events {moved}.");
        }

        // The walk is only evidence if it went everywhere: every kind of refusal was visited.
        WalletResultCode[] expected =
        [
            WalletResultCode.NotFound, WalletResultCode.IdempotencyKeyReused, WalletResultCode.CurrencyMismatch, WalletResultCode.InsufficientFunds,
            WalletResultCode.HoldNotFound, WalletResultCode.InvalidState, WalletResultCode.AmountExceedsHeld, WalletResultCode.LimitExceeded,
            WalletResultCode.BankUnavailable,
        ];
        Assert.Empty(expected.Except(refusals));
    }

    /// <summary>One random step on one wallet; returns the refusal it met, if any.</summary>
    private static WalletResultCode? Step(Random random, WalletWalk walk, int step, DateTimeOffset now)
    {
        var wallet = walk.Wallet;
        var available = wallet.State?.AvailableMinor ?? 0;
        var key = $"key-{step}";
        var fingerprint = $"{step:x8}";
        var currency = random.Next(20) == 0 ? "USD" : Currency;
        switch (random.Next(9))
        {
            case 0:
                return Command(walk, new CashIn(WalletWalk.Merchant, key, fingerprint, random.NextInt64(1, 100_000), currency, null),
                    WalletOperationKinds.CashIn, now, (w, c) => WalletDecider.CashIn(w, c, UuidV7.New(now), UuidV7.New(now), Limits, now));
            case 1:
                return Command(walk, new CashOut(WalletWalk.Merchant, key, fingerprint, Amount(random, available), currency, null),
                    WalletOperationKinds.CashOut, now, (w, c) => WalletDecider.CashOut(w, c, UuidV7.New(now), Limits, now));
            case 2:
                var expiresIn = TimeSpan.FromSeconds(random.Next(-30, 700));
                return Command(walk, new PlaceHold(WalletWalk.Merchant, key, fingerprint, Amount(random, available), currency, expiresIn),
                    WalletOperationKinds.Hold, now, (w, c) => WalletDecider.PlaceHold(w, c, UuidV7.New(now), UuidV7.New(now), Limits, now));
            case 3:
            {
                var holdId = PickHold(random, walk);
                long? amount = random.Next(3) == 0 ? null : Amount(random, wallet.Holds.TryGetValue(holdId, out var h) ? h.AmountMinor : 100);
                return Command(walk, new CaptureHold(WalletWalk.Merchant, key, fingerprint, holdId, amount), WalletOperationKinds.Capture, now,
                    (w, c) => WalletDecider.CaptureHold(w, c, Stored(walk, w, c.HoldId), UuidV7.New(now), now));
            }

            case 4:
                return Command(walk, new ReleaseHold(WalletWalk.Merchant, key, fingerprint, PickHold(random, walk)), WalletOperationKinds.Release, now,
                    (w, c) => WalletDecider.ReleaseHold(w, c, Stored(walk, w, c.HoldId), UuidV7.New(now), now));
            case 5:
                return BankAnswer(random, walk, now);
            case 6:
                Expire(walk, now.AddSeconds(random.Next(0, 600)), random.Next(1, 4));
                return null;
            case 7:
                if (wallet.State is not null)
                {
                    Pay(random, walk, now);
                }

                return null;
            default:
                return Replay(random, walk, now);
        }
    }

    /// <summary>What the grain does with a merchant command: replay by key, else decide, check the refusal, commit.</summary>
    private static WalletResultCode? Command<TCommand>(WalletWalk walk, TCommand command, string kind, DateTimeOffset now,
        Func<WalletAggregate, TCommand, WalletDecision> decide)
        where TCommand : IIdempotentCommand
    {
        walk.Issued.Add((command, kind));
        var before = walk.Wallet;
        var decision = decide(before, command);
        Assert.Equal(ExpectedRefusal(walk, command), decision.Rejection);
        if (decision.Next is not { } next)
        {
            Assert.Empty(decision.Changes);
            Assert.Empty(decision.Events);
            return decision.Rejection;
        }

        walk.Commit(next, decision.Changes, decision.Events);
        Assert.Contains(decision.Changes, c => c is KeyClaimed claim && claim.IdempotencyKey == command.IdempotencyKey);
        if (decision.Result.Operation is { } operation)
        {
            // The answer shows the balances as they are after the operation.
            Assert.Equal((next.State!.AvailableMinor, next.State.HeldMinor), (operation.AvailableMinor, operation.HeldMinor));
        }

        return null;
    }

    /// <summary>The rules, stated independently of the decider: wallet, currency, money, limits, then the hold itself.</summary>
    private static WalletResultCode? ExpectedRefusal(WalletWalk walk, IIdempotentCommand command)
    {
        var wallet = walk.Wallet;
        var state = wallet.State;
        switch (command)
        {
            case CashIn cashIn:
                return state is not null && state.Currency != cashIn.Currency ? WalletResultCode.CurrencyMismatch
                    : wallet.Pending.Count >= Limits.PendingTransfersPerWalletMax ? WalletResultCode.LimitExceeded
                    : null;
            case CashOut cashOut:
                return DebitRefusal(state, cashOut.Currency, cashOut.AmountMinor)
                    ?? (wallet.Pending.Count >= Limits.PendingTransfersPerWalletMax ? WalletResultCode.LimitExceeded : null);
            case PlaceHold hold:
                return DebitRefusal(state, hold.Currency, hold.AmountMinor)
                    ?? (wallet.Holds.Count >= Limits.HoldsPerWalletMax || hold.ExpiresIn <= TimeSpan.Zero || hold.ExpiresIn > Limits.HoldExpiryMax
                        ? WalletResultCode.LimitExceeded
                        : null);
            case CaptureHold capture:
                return HoldRefusal(walk, capture.HoldId)
                    ?? (capture.AmountMinor > wallet.Holds[capture.HoldId].AmountMinor ? WalletResultCode.AmountExceedsHeld : null);
            case ReleaseHold release:
                return HoldRefusal(walk, release.HoldId);
            default:
                throw new InvalidOperationException($"No rule for {command.GetType().Name}.");
        }
    }

    private static WalletResultCode? DebitRefusal(WalletState? state, string currency, long amount) =>
        state is null ? WalletResultCode.NotFound
        : state.Currency != currency ? WalletResultCode.CurrencyMismatch
        : state.AvailableMinor < amount ? WalletResultCode.InsufficientFunds
        : null;

    private static WalletResultCode? HoldRefusal(WalletWalk walk, Guid holdId) =>
        walk.Wallet.State is null ? WalletResultCode.NotFound
        : !walk.Wallet.Holds.TryGetValue(holdId, out var hold) ? walk.EndedHolds.ContainsKey(holdId) ? WalletResultCode.InvalidState : WalletResultCode.HoldNotFound
        : hold.PaymentId is not null ? WalletResultCode.InvalidState
        : null;

    /// <summary>The Bank answers one pending transfer at random, sometimes with no answer at all.</summary>
    private static WalletResultCode? BankAnswer(Random random, WalletWalk walk, DateTimeOffset now)
    {
        var before = walk.Wallet;
        if (before.Pending.IsEmpty)
        {
            return null;
        }

        var operation = before.Pending.Values.ElementAt(random.Next(before.Pending.Count));
        var result = random.Next(8) switch
        {
            < 4 => new PspResult(PspOutcome.Approved, "bank_ref", null, null),
            4 => new PspResult(PspOutcome.Declined, "bank_ref", "AC04", "closed account"),
            5 => new PspResult(PspOutcome.Rejected, null, random.Next(2) == 0 ? PspErrorCodes.CircuitOpen : "BANK_SAYS_NO", null),
            6 => new PspResult(PspOutcome.NotFound, null, null, null),
            _ => new PspResult(PspOutcome.Unknown, null, null, "timeout"),
        };
        var decision = WalletDecider.ApplyBankOutcome(before, operation, result, now);
        if (result.Outcome == PspOutcome.Unknown)
        {
            Assert.Null(decision.Next);
            Assert.Equal(WalletResultCode.Pending, decision.Result.Code);
            return null;
        }

        var next = decision.Next!;
        Assert.False(next.Pending.ContainsKey(operation.OperationId));
        var transient = result.Outcome == PspOutcome.Rejected && PspErrorCodes.IsTransient(result.DeclineCode);
        Assert.Equal(transient, decision.Changes.OfType<KeyReleased>().Any(k => k.IdempotencyKey == operation.IdempotencyKey));
        var booked = result.Outcome == PspOutcome.Approved;
        WalletEvent[] expectedEvents = booked
            ? [new WalletEvent(operation.IsCashOut ? WalletEventTypes.CashedOut : WalletEventTypes.CashedIn, operation.AmountMinor, operation.OperationId)]
            : [];
        Assert.Equal(expectedEvents, decision.Events);
        walk.Commit(next, decision.Changes, decision.Events);
        if (!transient)
        {
            // Once answered, the key replays the answer: asking again moves nothing.
            Assert.Equal(decision.Result with { Replayed = true }, WalletDecider.Replay(next, Issued(walk, operation.IdempotencyKey), operation.Kind,
                walk.Keys[operation.IdempotencyKey], now));
        }

        return decision.Rejection;
    }

    /// <summary>Expiry at <paramref name="at"/> releases exactly the holds due by then (the earliest first, at most <paramref name="max"/>).</summary>
    private static void Expire(WalletWalk walk, DateTimeOffset at, int max)
    {
        var before = walk.Wallet;
        var due = before.Holds.Values.Where(h => h.ExpiresAt <= at).ToList();
        var decision = WalletDecider.ExpireDueHolds(before, at, max);
        if (due.Count == 0 || before.State is null)
        {
            Assert.Null(decision.Next);
            return;
        }

        var ended = decision.Changes.Cast<HoldEnded>().ToList();
        Assert.Equal(Math.Min(due.Count, max), ended.Count);
        Assert.All(ended, e => Assert.Equal((WalletHoldStates.Expired, 0L), (e.State, e.CapturedMinor)));
        Assert.Subset(due.Select(h => h.HoldId).ToHashSet(), ended.Select(e => e.HoldId).ToHashSet());
        var latestEnded = ended.Max(e => before.Holds[e.HoldId].ExpiresAt);
        Assert.All(due.Where(h => !ended.Any(e => e.HoldId == h.HoldId)), h => Assert.True(h.ExpiresAt >= latestEnded, "A later hold expired first."));
        var releasedMinor = ended.Sum(e => before.Holds[e.HoldId].AmountMinor);
        var next = decision.Next!;
        Assert.Equal(before.State!.AvailableMinor + releasedMinor, next.State!.AvailableMinor);
        Assert.Equal(before.State.HeldMinor - releasedMinor, next.State.HeldMinor);
        Assert.Empty(decision.Events);
        Assert.Equal(before.Holds.Keys.Except(ended.Select(e => e.HoldId)).ToHashSet(), next.Holds.Keys.ToHashSet());
        walk.Commit(next, decision.Changes, decision.Events);
    }

    /// <summary>A payment paid from the wallet: a new authorisation, or a capture, void or refund of one it knows (or does not).</summary>
    private static void Pay(Random random, WalletWalk walk, DateTimeOffset now)
    {
        var before = walk.Wallet;
        var available = before.State!.AvailableMinor;
        var authorized = walk.AuthorizedPayments.Count > 0 ? walk.AuthorizedPayments[random.Next(walk.AuthorizedPayments.Count)] : UuidV7.New(now);
        var refundable = walk.Refundable.Where(r => r.Value > 0).Select(r => r.Key).ToList();
        var request = random.Next(4) switch
        {
            0 => new PspRequest("r-auth", PspOperation.Authorize, UuidV7.New(now), Amount(random, available), Currency, random.Next(2) == 0, null, null),
            1 => new PspRequest("r-capture", PspOperation.Capture, authorized,
                Amount(random, before.Holds.TryGetValue(authorized, out var held) ? held.AmountMinor : 100), Currency, false, null, null),
            2 => new PspRequest("r-void", PspOperation.Void, authorized, 1, Currency, false, null, null),
            _ when refundable.Count > 0 => Refund(random, walk, refundable[random.Next(refundable.Count)]),
            _ => new PspRequest("r-void", PspOperation.Void, UuidV7.New(now), 1, Currency, false, null, null),
        };
        var decision = WalletDecider.ExecutePayment(before, request, UuidV7.New(now), Limits.HoldsPerWalletMax, now);
        var expectedApproval = request.Operation switch
        {
            PspOperation.Authorize => before.State.Currency == request.Currency && available >= request.AmountMinor
                && before.Holds.Count < Limits.HoldsPerWalletMax,
            PspOperation.Capture => before.Holds.TryGetValue(request.PaymentId, out var hold) && request.AmountMinor <= hold.AmountMinor,
            PspOperation.Void => before.Holds.ContainsKey(request.PaymentId),
            _ => true,
        };
        Assert.Equal(expectedApproval, decision.Result.Outcome == PspOutcome.Approved);
        Assert.Contains(decision.Changes, c => c is OperationRecorded r && r.RequestId == request.RequestId && ReferenceEquals(r.Result, decision.Result));
        walk.Commit(decision.Next, decision.Changes, []);
        walk.KeepPayment(request, decision.Result);
    }

    /// <summary>
    /// The same command again: a key that names an operation replays it and moves no money a second time; the key
    /// with another request behind it is refused. A key freed by a refusal is a new request.
    /// </summary>
    private static WalletResultCode? Replay(Random random, WalletWalk walk, DateTimeOffset now)
    {
        if (walk.Issued.Count == 0)
        {
            return null;
        }

        var (command, kind) = walk.Issued[random.Next(walk.Issued.Count)];
        var reused = random.Next(4) == 0;
        var stored = walk.Keys.GetValueOrDefault(command.IdempotencyKey);
        var replay = WalletDecider.Replay(walk.Wallet, reused ? new ReleaseHold(command.MerchantId, command.IdempotencyKey, "ffff", Guid.Empty) : command,
            reused ? WalletOperationKinds.Release : kind, stored, now);
        if (stored is null)
        {
            Assert.Null(replay);
            return null;
        }

        Assert.NotNull(replay);
        if (reused)
        {
            Assert.Equal(WalletResultCode.IdempotencyKeyReused, replay.Code);
            return replay.Code;
        }

        Assert.True(replay.Replayed);
        Assert.Equal(stored.Result is { } result ? result with { Replayed = true } : replay, replay);
        Assert.Equal(stored.Result is null ? WalletResultCode.Pending : stored.Result.Code, replay.Code);
        return null;
    }

    private static void AssertMoneyInvariants(WalletWalk walk)
    {
        var wallet = walk.Wallet;
        if (wallet.State is not { } state)
        {
            Assert.Empty(wallet.Holds);
            Assert.Empty(wallet.Pending);
            return;
        }

        Assert.True(state.AvailableMinor >= 0, $"Available is {state.AvailableMinor}.");
        Assert.Equal(state.HeldMinor, wallet.Holds.Values.Sum(h => h.AmountMinor));
        Assert.All(wallet.Holds.Values, h => Assert.True(h.AmountMinor > 0));
        Assert.True(wallet.Holds.Count <= Limits.HoldsPerWalletMax);
        Assert.True(wallet.Pending.Count <= Limits.PendingTransfersPerWalletMax);
        Assert.Equal(walk.OwedByEvents(), WalletWalk.Owed(wallet));
    }

    private static PspRequest Refund(Random random, WalletWalk walk, Guid paymentId) =>
        new("r-refund", PspOperation.Refund, paymentId, random.NextInt64(1, walk.Refundable[paymentId] + 1), Currency, false, null, null);

    /// <summary>Mostly within what there is, sometimes just beyond it.</summary>
    private static long Amount(Random random, long within) => random.NextInt64(1, (within * 6 / 5) + 2);

    private static Guid PickHold(Random random, WalletWalk walk) => random.Next(6) switch
    {
        0 => Guid.NewGuid(),
        1 when walk.EndedHolds.Count > 0 => walk.EndedHolds.Keys.ElementAt(random.Next(walk.EndedHolds.Count)),
        _ when walk.Wallet.Holds.Count > 0 => walk.Wallet.Holds.Keys.ElementAt(random.Next(walk.Wallet.Holds.Count)),
        _ => Guid.NewGuid(),
    };

    /// <summary>What the grain reads for a hold that is not held: the stored row, if the hold ever existed.</summary>
    private static StoredWalletHold? Stored(WalletWalk walk, WalletAggregate wallet, Guid holdId) =>
        wallet.Holds.ContainsKey(holdId) ? null : walk.EndedHolds.GetValueOrDefault(holdId);

    private static IIdempotentCommand Issued(WalletWalk walk, string key) => walk.Issued.Single(i => i.Command.IdempotencyKey == key).Command;
}
