namespace Payments.Actors.WebhookEndpoints;

/// <summary>The answer to a POST on webhook endpoints: the endpoint (creation, rotation) or the delivery (resend), or a refusal.</summary>
[GenerateSerializer, Immutable, Alias("pa.WebhookEndpointResult")]
public sealed record WebhookEndpointResult(
    [property: Id(0)] WebhookEndpointResultCode Code,
    [property: Id(1)] WebhookEndpointSnapshot? Endpoint,
    [property: Id(2)] WebhookDeliverySnapshot? Delivery,
    [property: Id(3)] string? Message,
    [property: Id(4)] bool Replayed)
{
    /// <summary>With an IdempotencyKeyReused refusal: the field digests the key was first used with; null otherwise.</summary>
    [Id(20)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? StoredFieldDigests { get; init; }

    public static WebhookEndpointResult Rejected(WebhookEndpointResultCode code, string message) => new(code, null, null, message, Replayed: false);
}
