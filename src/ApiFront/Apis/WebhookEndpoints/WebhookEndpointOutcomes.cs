using System.Text.Json;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.ApiFront.Apis.WebhookEndpoints;

/// <summary>What the webhook endpoints' grain answers mean on the wire: the endpoint or the delivery as the body, refusals in the error model.</summary>
public sealed class WebhookEndpointOutcomes : PostOutcomes<WebhookEndpointResult>
{
    public static readonly WebhookEndpointOutcomes Instance = new();

    private WebhookEndpointOutcomes()
    {
    }

    public override PostAnswer? Answer(WebhookEndpointResult result) => result.Code == WebhookEndpointResultCode.Ok
        ? new(Render(result), Pending: false, result.Replayed, result.Endpoint is { } e ? $"/v1/webhook_endpoints/{e.Id}" : null)
        : null;

    public override bool IsKeyReused(WebhookEndpointResult result) => result.Code == WebhookEndpointResultCode.IdempotencyKeyReused;

    public override string? StoredFieldDigestsOf(WebhookEndpointResult result) => result.StoredFieldDigests;

    public override IResult Refuse(HttpContext context, WebhookEndpointResult result)
    {
        var message = result.Message ?? result.Code.ToString();
        return result.Code switch
        {
            WebhookEndpointResultCode.NotFound => ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WebhookEndpointNotFound, message),
            WebhookEndpointResultCode.DeliveryNotFound => ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WebhookDeliveryNotFound, message),
            WebhookEndpointResultCode.IdempotencyKeyReused => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused, message),
            WebhookEndpointResultCode.LimitExceeded => ApiErrorResults.Error(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.LimitExceeded, message),
            WebhookEndpointResultCode.InvalidUrl => ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, message, field: "url"),
            _ => throw new InvalidOperationException($"Unmapped webhook endpoint result {result.Code}."),
        };
    }

    public override string? LocationOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("id", out var id) ? $"/v1/webhook_endpoints/{id.GetString()}" : null;
    }

    public static byte[] Render(WebhookEndpointResult result) => result.Endpoint is { } endpoint
        ? JsonSerializer.SerializeToUtf8Bytes(WebhookEndpointResponse.From(endpoint), ApiJson.Options)
        : JsonSerializer.SerializeToUtf8Bytes(WebhookDeliveryResponse.From(result.Delivery!), ApiJson.Options);
}
