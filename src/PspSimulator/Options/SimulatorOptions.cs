namespace Payments.Actors.PspSimulator.Options;

/// <summary>Limits shared by all providers, bound from <c>Simulator</c>.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";
    public const int StoredRequestsMaxDefault = 1_000_000;
    public const int StoredChargesMaxDefault = 1_000_000;
    public const int StoredMaxLimit = 10_000_000;
    public const int SignatureToleranceSecondsDefault = 300;
    public const int SignatureToleranceSecondsMax = 3_600;

    /// <summary>Recorded requests kept per provider for replay and inquiry; the oldest are forgotten first.</summary>
    public int StoredRequestsMax { get; set; } = StoredRequestsMaxDefault;

    /// <summary>Charges kept per provider; the oldest are forgotten first.</summary>
    public int StoredChargesMax { get; set; } = StoredChargesMaxDefault;

    /// <summary>How far a signature's timestamp may be from the simulator's clock.</summary>
    public int SignatureToleranceSeconds { get; set; } = SignatureToleranceSecondsDefault;
}
