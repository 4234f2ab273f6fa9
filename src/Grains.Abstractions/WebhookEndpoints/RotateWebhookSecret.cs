using Payments.Actors.Payments;

namespace Payments.Actors.WebhookEndpoints;

/// <summary>Gives the endpoint a new secret; the current one keeps signing beside it for <see cref="PreviousExpiresIn"/>.</summary>
[GenerateSerializer, Immutable, Alias("pa.RotateWebhookSecret")]
public sealed record RotateWebhookSecret(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] Guid EndpointId,
    [property: Id(4)] TimeSpan PreviousExpiresIn) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
