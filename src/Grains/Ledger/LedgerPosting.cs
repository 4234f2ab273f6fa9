namespace Payments.Actors.Grains.Ledger;

/// <summary>
/// A balanced journal transaction derived from one source event. Legs are numbered from 1 in list
/// order; (source system, source event id, leg) is the idempotency key in ledger_entries.
/// </summary>
public sealed record LedgerPosting(
    string SourceSystem,
    Guid SourceEventId,
    string EventType,
    DateTimeOffset EffectiveAt,
    Guid? PaymentId,
    string? WalletId,
    string Memo,
    IReadOnlyList<LedgerLeg> Legs)
{
    /// <summary>Debits equal credits in every currency, every amount is positive, each leg's currency is its account's, and both sides are present.</summary>
    public bool IsBalanced()
    {
        if (Legs.Count < 2 || Legs.Any(l => l.AmountMinor <= 0))
        {
            return false;
        }

        foreach (var currency in Legs.Select(l => l.Account.Currency).Distinct(StringComparer.Ordinal))
        {
            var legs = Legs.Where(l => l.Account.Currency == currency).ToList();
            // checked: an overflow is a bug, never a silently wrapped balance.
            var debits = checked(legs.Where(l => l.Side == LedgerSide.Debit).Sum(l => l.AmountMinor));
            var credits = checked(legs.Where(l => l.Side == LedgerSide.Credit).Sum(l => l.AmountMinor));
            if (debits != credits || debits == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fails loudly (release builds too) if the posting would unbalance the books.</summary>
    public void AssertBalanced() =>
        Invariant.Assert(IsBalanced(),
            $"Posting for {SourceSystem}/{SourceEventId} ({EventType}) is unbalanced: " +
            string.Join(", ", Legs.Select(l => $"{l.Side} {l.Account.Code} {l.AmountMinor}")));
}
