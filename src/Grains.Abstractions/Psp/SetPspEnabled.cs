namespace Payments.Actors.Psp;

/// <summary>An operator switches one PSP on or off; <see cref="ChangedBy"/> is the subject of their token.</summary>
[GenerateSerializer, Immutable, Alias("pa.SetPspEnabled")]
public sealed record SetPspEnabled(
    [property: Id(0)] string Psp,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] string ChangedBy);
