using Payments.Actors.Payments;

namespace Payments.Actors.WebhookEndpoints;

/// <summary>Registers an endpoint for the events matched by <see cref="EnabledEvents"/> (types, <c>family.*</c> or <c>*</c>).</summary>
[GenerateSerializer, Immutable, Alias("pa.CreateWebhookEndpoint")]
public sealed record CreateWebhookEndpoint(
    [property: Id(0)] string MerchantId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string Fingerprint,
    [property: Id(3)] string Url,
    [property: Id(4)] IReadOnlyList<string> EnabledEvents,
    [property: Id(5)] string? Description = null,
    [property: Id(6)] Metadata? Metadata = null) : IIdempotentCommand
{
    /// <inheritdoc/>
    [Id(20)]
    public string? FieldDigests { get; init; }
}
