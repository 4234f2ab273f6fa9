using Payments.Actors.Payments;

namespace Payments.Actors.Wallets;

/// <summary>Gives a hold's amount back to the available balance.</summary>
[GenerateSerializer, Immutable, Alias("pa.ReleaseHold")]
public sealed record ReleaseHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid HoldId) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
