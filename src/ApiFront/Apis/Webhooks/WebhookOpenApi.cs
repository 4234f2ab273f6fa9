using Microsoft.OpenApi;
using Payments.Actors.ApiFront.Edge.OpenApi;

namespace Payments.Actors.ApiFront.Apis.Webhooks;

/// <summary>
/// The webhook operation in the published document: no OAuth2 security and no Idempotency-Key (the provider signs, and
/// its event id de-duplicates), the signature headers of every provider (each provider sends its own, so none is
/// required by the document), and every refusal in the error model.
/// </summary>
public static class WebhookOpenApi
{
    public static void Describe(OpenApiOperation operation, OpenApiDocument document, IEnumerable<IWebhookSignatureScheme> schemes)
    {
        operation.Security = [];
        operation.Parameters ??= [];
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
        Error(operation, document, "400", "A malformed request path.");
        Error(operation, document, "401", "WEBHOOK_SIGNATURE_INVALID (missing, malformed or wrong signature) or WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE " +
            "(signed more than 300 s from our clock); recorded in webhooks_rejected.");
        Error(operation, document, "403", "WEBHOOK_SOURCE_FORBIDDEN: the caller's address is not in the provider's allowed networks.");
        Error(operation, document, "404", "WEBHOOK_PROVIDER_UNKNOWN: no such provider is configured here.");
        Error(operation, document, "413", "WEBHOOK_BODY_TOO_LARGE: the body is over 64 KiB.");
        Error(operation, document, "500", "An unexpected error; nothing was acknowledged: deliver again.");
        Error(operation, document, "503", "WEBHOOK_STORE_UNAVAILABLE (nothing stored) or OVERLOADED: deliver again later.");
    }

    /// <summary>Replaces the bare description of a status declared on the endpoint with what it means here.</summary>
    private static void Error(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        operation.Responses!.Remove(status);
        OpenApiContract.AddError(operation, document, status, description);
    }
}
