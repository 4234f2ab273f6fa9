using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge;
using Payments.Actors.ApiFront.Edge.Errors;
using Payments.Actors.ApiFront.Edge.Idempotency;
using Payments.Actors.WebhookEndpoints;

namespace Payments.Actors.ApiFront.Apis.WebhookEndpoints;

/// <summary>
/// The merchant's webhook endpoints, <c>/v1/webhook_endpoints</c>: register, list, read, delete, rotate the signing
/// secret, and see or resend deliveries. Every POST goes through the <see cref="IdempotentPipeline"/>; the calls go to
/// the merchant's <see cref="IWebhookEndpointsGrain"/>.
/// </summary>
public static class WebhookEndpointsApi
{
    private const long RotationExpiresInSecondsDefault = 86_400;

    public static RouteGroupBuilder MapWebhookEndpointsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/webhook_endpoints").WithTags("Webhook endpoints");

        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.PaymentsWrite).WithName("CreateWebhookEndpoint")
            .WithSummary("Register a webhook endpoint; the answer carries its signing secret, shown only here.")
            .Accepts<CreateWebhookEndpointRequest>("application/json")
            .Produces<WebhookEndpointResponse>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/", ListAsync).RequireAuthorization(Policies.PaymentsRead).WithName("ListWebhookEndpoints")
            .WithSummary("List the merchant's webhook endpoints, oldest first (all of them: a merchant has at most 16).")
            .Produces<WebhookEndpointListResponse>();

        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.PaymentsRead).WithName("GetWebhookEndpoint")
            .WithSummary("Get one webhook endpoint (without its secret).")
            .Produces<WebhookEndpointResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(Policies.PaymentsWrite).WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete a webhook endpoint and its deliveries; nothing more is sent to it.")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/rotate_secret", RotateAsync).RequireAuthorization(Policies.PaymentsWrite).WithName("RotateWebhookSecret")
            .WithSummary("Give the endpoint a new signing secret; the current one keeps signing beside it for expires_in_seconds (default 86400).")
            .Accepts<RotateWebhookSecretRequest>(isOptional: true, "application/json")
            .Produces<WebhookEndpointResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/deliveries", ListDeliveriesAsync).RequireAuthorization(Policies.PaymentsRead).WithName("ListWebhookDeliveries")
            .WithSummary("List the endpoint's deliveries, newest first; page with starting_after (a delivery id).")
            .Produces<WebhookDeliveryListResponse>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        group.MapPost("/{id}/deliveries/{delivery_id}/resend", ResendAsync).RequireAuthorization(Policies.PaymentsWrite).WithName("ResendWebhookDelivery")
            .WithSummary("Send a delivery once more, now, whatever its state.")
            .Accepts<ResendWebhookDeliveryRequest>(isOptional: true, "application/json")
            .Produces<WebhookDeliveryResponse>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);

        return group;
    }

    private static Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, IdempotentPipeline pipeline) =>
        pipeline.RunAsync(context, new IdempotentPost<CreateWebhookEndpointRequest, WebhookEndpointResult>
        {
            Outcomes = WebhookEndpointOutcomes.Instance,
            SuccessStatus = StatusCodes.Status201Created,
            Validate = (request, _) => WebhookEndpointValidation.Validate(request),
            Fingerprint = request => new("/v1/webhook_endpoints", null, null, Extra: request.Url)
            {
                Body =
                [
                    RequestField.Of("url", request.Url),
                    RequestField.Of("enabled_events", request.EnabledEvents is not null, [.. request.EnabledEvents ?? []]),
                    RequestField.Of("description", request.Description),
                    MetadataRules.Fingerprint(request.Metadata),
                ],
            },
            Call = post => grains.GetGrain<IWebhookEndpointsGrain>(post.MerchantId).CreateAsync(new CreateWebhookEndpoint(post.MerchantId, post.Key,
                post.Fingerprint, post.Request.Url!, [.. post.Request.EnabledEvents!], post.Request.Description, MetadataRules.ToMetadata(post.Request.Metadata))
            {
                FieldDigests = post.FieldDigests,
            }),
        });

    private static Task<IResult> RotateAsync(HttpContext context, string id, IGrainFactory grains, IdempotentPipeline pipeline)
    {
        var known = TryParseId(id, out var endpointId);
        return pipeline.RunAsync(context, new IdempotentPost<RotateWebhookSecretRequest, WebhookEndpointResult>
        {
            Outcomes = WebhookEndpointOutcomes.Instance,
            WhenEmpty = () => new(null),
            Validate = (request, _) => WebhookEndpointValidation.Validate(request),
            FindTarget = () => known ? null : EndpointNotFound(context, id),
            Fingerprint = request => new($"/v1/webhook_endpoints/{endpointId}/rotate_secret", request.ExpiresInSeconds, null)
            {
                Body = [RequestField.Of("expires_in_seconds", request.ExpiresInSeconds)],
            },
            Call = post => grains.GetGrain<IWebhookEndpointsGrain>(post.MerchantId).RotateSecretAsync(new RotateWebhookSecret(post.MerchantId, post.Key,
                post.Fingerprint, endpointId, TimeSpan.FromSeconds(post.Request.ExpiresInSeconds ?? RotationExpiresInSecondsDefault))
            {
                FieldDigests = post.FieldDigests,
            }),
        });
    }

    private static Task<IResult> ResendAsync(HttpContext context, string id, [FromRoute(Name = "delivery_id")] string deliveryId, IGrainFactory grains,
        IdempotentPipeline pipeline)
    {
        var known = TryParseId(id, out var endpointId);
        var deliveryKnown = Guid.TryParse(deliveryId, out var delivery);
        return pipeline.RunAsync(context, new IdempotentPost<ResendWebhookDeliveryRequest, WebhookEndpointResult>
        {
            Outcomes = WebhookEndpointOutcomes.Instance,
            WhenEmpty = () => new(),
            FindTarget = () => !known ? EndpointNotFound(context, id)
                : !deliveryKnown ? ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WebhookDeliveryNotFound, $"Delivery '{deliveryId}' was not found.")
                : null,
            Fingerprint = _ => new($"/v1/webhook_endpoints/{endpointId}/deliveries/{delivery}/resend", null, null) { Body = [] },
            Call = post => grains.GetGrain<IWebhookEndpointsGrain>(post.MerchantId).ResendAsync(new ResendWebhookDelivery(post.MerchantId, post.Key,
                post.Fingerprint, endpointId, delivery)
            {
                FieldDigests = post.FieldDigests,
            }),
        });
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var endpoints = await grains.GetGrain<IWebhookEndpointsGrain>(merchantId).ListAsync();
        return Json(new WebhookEndpointListResponse("list", [.. endpoints.Select(WebhookEndpointResponse.From)], HasMore: false, NextCursor: null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var endpoint = TryParseId(id, out var endpointId) ? await grains.GetGrain<IWebhookEndpointsGrain>(merchantId).GetAsync(endpointId) : null;
        return endpoint is null ? EndpointNotFound(context, id) : Json(WebhookEndpointResponse.From(endpoint));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, IGrainFactory grains)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        return TryParseId(id, out var endpointId) && await grains.GetGrain<IWebhookEndpointsGrain>(merchantId).DeleteAsync(endpointId)
            ? Results.NoContent()
            : EndpointNotFound(context, id);
    }

    private static async Task<IResult> ListDeliveriesAsync(HttpContext context, string id, IGrainFactory grains, IOptions<ApiOptions> options, int? limit,
        [FromQuery(Name = "starting_after")] string? startingAfter)
    {
        if (Merchants.MerchantOf(context, out var merchantId) is { } refused)
        {
            return refused;
        }

        var pageSize = limit ?? options.Value.ListLimitDefault;
        if (pageSize < 1 || pageSize > options.Value.ListLimitMax)
        {
            return ApiErrorResults.Invalid(context, new ValidationFailure("limit", $"limit must be between 1 and {options.Value.ListLimitMax}."));
        }

        Guid after = default;
        if (startingAfter is not null && !Guid.TryParse(startingAfter, out after))
        {
            return ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidCursor, "starting_after is not a delivery id.",
                field: "starting_after");
        }

        var page = TryParseId(id, out var endpointId)
            ? await grains.GetGrain<IWebhookEndpointsGrain>(merchantId).ListDeliveriesAsync(endpointId, pageSize, startingAfter is null ? null : after)
            : null;
        return page is null
            ? EndpointNotFound(context, id)
            : Json(new WebhookDeliveryListResponse("list", [.. page.Items.Select(WebhookDeliveryResponse.From)], page.HasMore,
                page.HasMore && page.Items.Count > 0 ? page.Items[^1].Id.ToString() : null));
    }

    private static RawJsonResult Json<T>(T body) =>
        new(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), replayed: false);

    /// <summary>Endpoint ids are UUIDv7.</summary>
    private static bool TryParseId(string id, out Guid endpointId) => Guid.TryParse(id, out endpointId) && endpointId.Version == 7;

    private static IResult EndpointNotFound(HttpContext context, string id) =>
        ApiErrorResults.Error(context, StatusCodes.Status404NotFound, ErrorCodes.WebhookEndpointNotFound, $"Webhook endpoint '{id}' was not found.");
}
