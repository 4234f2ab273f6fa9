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

/// <summary>
/// The answer to <see cref="UpdatePspSettings"/>: the new status, or the first setting that the
/// change would make invalid (nothing was changed), or neither when no such PSP is configured.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspSettingsUpdated")]
public sealed record PspSettingsUpdated(
    [property: Id(0)] PspStatus? Status,
    [property: Id(1)] string? InvalidField,
    [property: Id(2)] string? Problem);
