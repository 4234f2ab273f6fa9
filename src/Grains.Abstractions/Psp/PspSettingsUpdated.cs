namespace Payments.Actors.Psp;

/// <summary>
/// The answer to <see cref="UpdatePspSettings"/>: the new status, or the first setting that the
/// change would make invalid (nothing was changed), or neither when no such PSP is configured.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspSettingsUpdated")]
public sealed record PspSettingsUpdated(
    [property: Id(0)] PspStatus? Status,
    [property: Id(1)] string? InvalidField,
    [property: Id(2)] string? Problem);
