using Payments.Actors.Payments;

namespace Payments.Actors.Wallets;

/// <summary>Debits a hold, in full (no amount) or in part; the rest goes back to the available balance.</summary>
[GenerateSerializer, Immutable, Alias("pa.CaptureHold")]
public sealed record CaptureHold(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid HoldId,
    [property: Id(4)] long? AmountMinor) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
