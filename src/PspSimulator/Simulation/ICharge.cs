namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Something a provider booked (a payment, a transaction, a transfer), as the admin API sees it.</summary>
internal interface ICharge
{
    string Id { get; }

    string Reference { get; }

    ChargeSummary Summarize(DateTimeOffset now);
}
