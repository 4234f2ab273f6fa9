using Payments.Actors.ApiFront.Edge;
using Payments.Actors.Events;

namespace Payments.Actors.ApiFront.Apis.WebhookEndpoints;

/// <summary>
/// The body rules of webhook endpoints at the edge. The URL's shape is checked here; what it may point to (https,
/// private addresses, what its name resolves to) by the grain, which knows the platform's rules, before it writes.
/// </summary>
public static class WebhookEndpointValidation
{
    public const int UrlLengthMax = 2048;
    public const int EnabledEventsMax = 32;
    public const int DescriptionLengthMax = 500;
    public const long RotationExpiresInSecondsMax = 7 * 24 * 3600;

    public static ValidationFailure? Validate(CreateWebhookEndpointRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            return new("url", "url is required.");
        }

        if (request.Url.Length > UrlLengthMax || !Uri.TryCreate(request.Url, UriKind.Absolute, out _))
        {
            return new("url", $"url must be an absolute URL of at most {UrlLengthMax} characters.");
        }

        if (request.EnabledEvents is not { Count: > 0 } events || events.Count > EnabledEventsMax)
        {
            return new("enabled_events", $"enabled_events must list 1 to {EnabledEventsMax} event types, families (such as payment.*) or *.");
        }

        var at = events.FindIndex(e => e is null || !MerchantEventTypes.IsPattern(e));
        if (at >= 0)
        {
            return new("enabled_events", $"'{events[at]}' is not an event type, a family of them (such as payment.*) or *.");
        }

        if (request.Description is { Length: > DescriptionLengthMax })
        {
            return new("description", $"description must be at most {DescriptionLengthMax} characters.");
        }

        return MetadataRules.Validate(request.Metadata);
    }

    public static ValidationFailure? Validate(RotateWebhookSecretRequest request) =>
        request.ExpiresInSeconds is < 0 or > RotationExpiresInSecondsMax
            ? new("expires_in_seconds", $"expires_in_seconds must be between 0 and {RotationExpiresInSecondsMax} (7 days).")
            : null;
}
