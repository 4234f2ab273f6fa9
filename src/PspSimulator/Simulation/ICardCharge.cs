namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>A card charge (PSP A payment, PSP B transaction) that can settle and take a dispute once captured.</summary>
internal interface ICardCharge : ICharge
{
    string Currency { get; }

    DateTimeOffset CreatedAt { get; }

    bool IsCaptured { get; }

    /// <summary>Marks a captured, unsettled charge settled; <paramref name="settled"/> runs under the charge's lock.</summary>
    bool TrySettle(Action settled);

    /// <summary>Takes the charge's one dispute, of at most the captured amount (all of it by default); <paramref name="opened"/> gets the amount, under the charge's lock.</summary>
    DisputeCheck TryDispute(long? amountMinor, Action<long> opened);
}
