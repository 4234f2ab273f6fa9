namespace Payments.Actors.WebhookEndpoints;

[GenerateSerializer]
public enum WebhookEndpointResultCode
{
    /// <summary>Done: the endpoint (creation, rotation) or the delivery (resend).</summary>
    Ok = 0,
    NotFound = 1,
    DeliveryNotFound = 2,
    IdempotencyKeyReused = 3,
    /// <summary>The merchant has as many endpoints as allowed.</summary>
    LimitExceeded = 4,
    /// <summary>The URL breaks a rule (scheme, a private or unresolvable address); <see cref="WebhookEndpointResult.Message"/> says which.</summary>
    InvalidUrl = 5,
}
