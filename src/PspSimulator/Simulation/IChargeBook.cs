namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The provider-independent view of a provider's charges, for the admin API.</summary>
internal interface IChargeBook
{
    IReadOnlyList<ChargeSummary> Find(string? reference, DateTimeOffset now, int limit);

    IReadOnlyDictionary<string, long> CountByStatus(DateTimeOffset now);

    void Clear();
}
