namespace Payments.Actors.Psp;

/// <summary>
/// One PSP as the operator sees it: the stored kill switch, the thresholds an operator overrode (the
/// rest come from configuration), and the live health of one silo's adapter.
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.PspStatus")]
public sealed record PspStatus(
    [property: Id(0)] string Psp,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] DateTimeOffset? UpdatedAt,
    [property: Id(3)] string? UpdatedBy,
    [property: Id(4)] PspHealth Health,
    [property: Id(5)] IReadOnlyDictionary<string, double> Overrides);
