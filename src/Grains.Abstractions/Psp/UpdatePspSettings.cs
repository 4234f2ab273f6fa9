namespace Payments.Actors.Psp;

/// <summary>
/// An operator changes one PSP at runtime: its kill switch and/or thresholds (keys of
/// <see cref="PspSettingNames.Thresholds"/>), or puts every threshold back to configuration, or makes every
/// silo forget the PSP's breaker state and health window (<see cref="ResetHealth"/>).
/// <see cref="ChangedBy"/> is the subject of their token.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.UpdatePspSettings")]
public sealed record UpdatePspSettings(
    [property: Id(0)] string Psp,
    [property: Id(1)] bool? Enabled,
    [property: Id(2)] IReadOnlyDictionary<string, double> Thresholds,
    [property: Id(3)] bool ResetThresholds,
    [property: Id(4)] string ChangedBy,
    [property: Id(5)] bool ResetHealth = false);
