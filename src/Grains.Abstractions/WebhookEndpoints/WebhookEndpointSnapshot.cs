namespace Payments.Actors.WebhookEndpoints;

/// <summary>
/// An endpoint as the API shows it. <see cref="Secret"/> is set only in the answer that created it (creation,
/// rotation); <see cref="Status"/> is <c>enabled</c> or <c>disabled</c> (<see cref="DisabledReason"/> says why).
/// </summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookEndpointSnapshot")]
public sealed record WebhookEndpointSnapshot(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EnabledEvents,
    [property: Id(3)] string Status,
    [property: Id(4)] string? Description,
    [property: Id(5)] Metadata? Metadata,
    [property: Id(6)] string? Secret,
    [property: Id(7)] DateTimeOffset? PreviousSecretExpiresAt,
    [property: Id(8)] string? DisabledReason,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt);
