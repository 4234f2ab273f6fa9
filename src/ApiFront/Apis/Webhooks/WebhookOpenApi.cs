using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.Actors.ApiFront.Edge.OpenApi;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// The webhook operation in the published document. It runs after the house transformer (<see cref="OpenApiContract"/>),
/// which gives every /v1 operation OAuth2 security, a POST its Idempotency-Key and the common errors, and corrects what
/// does not apply here: no OAuth2 (the provider signs) and no Idempotency-Key (its event id de-duplicates); the signature
/// headers of every provider instead (each provider sends its own, so none is required by the document); and exactly
/// the answers the endpoint gives, in the error model.
/// </summary>
public static class WebhookOpenApi
{
    private static readonly (string Status, string Description)[] Errors =
    [
        ("400", "A malformed request path."),
        ("401", "WEBHOOK_SIGNATURE_INVALID (missing, malformed or wrong signature) or WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE (signed more than " +
            "300 s from our clock); recorded in webhooks_rejected."),
        ("403", "WEBHOOK_SOURCE_FORBIDDEN: the caller's address is not in the provider's allowed networks."),
        ("404", "WEBHOOK_PROVIDER_UNKNOWN: no such provider is configured here."),
        ("413", "WEBHOOK_BODY_TOO_LARGE: the body is over 64 KiB."),
        ("500", "An unexpected error; nothing was acknowledged: deliver again."),
        ("503", "WEBHOOK_STORE_UNAVAILABLE (nothing stored) or OVERLOADED: deliver again later."),
    ];

    /// <summary>Registers the transformer on the document <see cref="OpenApiContract"/> configures (call after it).</summary>
    public static IServiceCollection AddWebhookOpenApi(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<WebhookEndpointMetadata>().Any())
            {
                Describe(operation, context.Document!, context.ApplicationServices.GetServices<IWebhookSignatureScheme>());
            }

            return Task.CompletedTask;
        }));

    public static void Describe(OpenApiOperation operation, OpenApiDocument document, IEnumerable<IWebhookSignatureScheme> schemes)
    {
        operation.Security = [];
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.Where(p => p.In == ParameterLocation.Header).ToList())
        {
            operation.Parameters.Remove(parameter);
        }

        foreach (var (name, description) in schemes.SelectMany(s => s.Headers))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Required = false,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        operation.Responses ??= [];
        foreach (var status in operation.Responses.Keys.Where(s => s != "200").ToList())
        {
            operation.Responses.Remove(status);
        }

        foreach (var (status, description) in Errors)
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(OpenApiContract.ErrorSchemaName, document) },
                },
            };
        }
    }
}
