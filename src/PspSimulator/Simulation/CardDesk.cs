namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Settlement and disputes, the same for every card provider; the provider supplies its ids and notifications.</summary>
internal static class CardDesk
{
    public static int SettleCaptured<TCharge>(ChargeBook<TCharge> charges, Action<TCharge> settled)
        where TCharge : class, ICardCharge
    {
        var count = 0;
        foreach (var charge in charges.All)
        {
            if (charge.TrySettle(() => settled(charge)))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Finds the charge (by provider id, else the newest captured one with our reference), takes its dispute and
    /// stores it; <paramref name="opened"/> notifies under the charge's lock.
    /// </summary>
    public static DisputeCheck Open<TCharge>(
        ProviderState provider, ChargeBook<TCharge> charges, DisputeRequest request, Func<TCharge, string> newId, Action<TCharge, Dispute> opened, out Dispute? dispute)
        where TCharge : class, ICardCharge
    {
        dispute = null;
        var reference = request.Reference!;
        if (!charges.TryGet(reference, out var charge))
        {
            charge = charges.WithReference(reference)
                .OrderByDescending(static candidate => candidate.IsCaptured)
                .ThenByDescending(static candidate => candidate.CreatedAt)
                .FirstOrDefault();
        }

        if (charge is null)
        {
            return DisputeCheck.ChargeNotFound;
        }

        Dispute? taken = null;
        var check = charge.TryDispute(request.Amount, amount =>
        {
            var now = provider.Time.GetUtcNow();
            taken = new Dispute(
                newId(charge), charge.Id, charge.Reference, amount, charge.Currency, request.Reason ?? DisputeRequest.ReasonDefault,
                now.AddDays(request.DueInDays ?? DisputeRequest.DueInDaysDefault), now);
            provider.Disputes.Add(taken.Id, taken);
            opened(charge, taken);
        });
        dispute = taken;
        return check;
    }
}
