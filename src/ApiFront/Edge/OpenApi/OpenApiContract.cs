using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.Actors.ApiFront.Auth;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge.OpenApi;

/// <summary>
/// The published contract (<c>/openapi/v1.json</c>, the Scalar page) describes the wire format the API really speaks:
/// the schemas come from the same JSON settings as the responses (snake_case, exact integer amounts), nullable members
/// are optional, every /v1 operation states its OAuth2 security, the Idempotency-Key header of a POST, and the error
/// model of its failures, and the token endpoint is documented. Only the merchant and operator API is described: the
/// dashboard's internal routes and the health probes are not operations a client calls.
/// </summary>
public static class OpenApiContract
{
    public const string SecuritySchemeName = "oauth2";
    public const string ErrorSchemaName = "ApiError";

    public static IServiceCollection AddPaymentsOpenApi(this IServiceCollection services)
    {
        // The schema generator reads these options; the endpoints themselves always write with ApiJson.Options.
        services.Configure<JsonOptions>(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            json.DictionaryKeyPolicy = ApiJson.Options.DictionaryKeyPolicy;
            json.NumberHandling = JsonNumberHandling.Strict;
            json.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseUpper));
        });
        services.AddOpenApi(options =>
        {
            Deprecation.AddDeprecationToOpenApi(options);
            options.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            options.AddSchemaTransformer((schema, context, _) =>
            {
                OptionalNullables(schema);
                MetadataSchema.Describe(schema, context);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>A member that may be null may also be left out: it is not required.</summary>
    private static void OptionalNullables(OpenApiSchema schema)
    {
        if (schema.Properties is not { Count: > 0 } properties || schema.Required is not { Count: > 0 } required)
        {
            return;
        }

        foreach (var (name, property) in properties)
        {
            if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null) || property is OpenApiSchemaReference && !required.Contains(name))
            {
                required.Remove(name);
            }
        }
    }

    /// <summary>
    /// Marks a POST that takes no Idempotency-Key (an operator action that is idempotent by itself): the document then does
    /// not ask clients for one.
    /// </summary>
    public static TBuilder WithoutIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoIdempotencyKey());

    /// <summary>The marker <see cref="WithoutIdempotencyKey{TBuilder}"/> puts on an endpoint.</summary>
    public sealed record NoIdempotencyKey;

    /// <summary>
    /// Security, the Idempotency-Key of a POST that reads one, and every failure the edge can answer whatever the endpoint:
    /// 400 (a malformed request, parameter or key; control characters in a path or query are refused on every route),
    /// 404 where a path names a resource, 413 and 415 where there is a body, 422 where a key can be reused, and
    /// 401/403/500/503.
    /// </summary>
    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var document = context.Document!;
        var description = context.Description;
        var takesKey = string.Equals(description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)
            && !description.ActionDescriptor.EndpointMetadata.OfType<NoIdempotencyKey>().Any();
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] });
        if (takesKey)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKey.HeaderName,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Unique per merchant for 72 h: a retry with the same key and the same request gets the first answer; " +
                    "the same key with a different request is refused with 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.LengthMax },
            });
        }

        operation.Responses ??= [];
        AddError(operation, document, "400", "The request is invalid (error_code and field say how): malformed JSON or an unknown member, " +
            "a missing or invalid field or parameter" + (takesKey ? ", or a missing or malformed Idempotency-Key." : "."));
        if (description.RelativePath?.Contains('{', StringComparison.Ordinal) == true)
        {
            AddError(operation, document, "404", "No such resource for this client: unknown, or another merchant's.");
        }

        if (operation.RequestBody is not null)
        {
            AddError(operation, document, "413", "The body is larger than the API accepts.");
            AddError(operation, document, "415", "The body is not JSON (Content-Type: application/json).");
        }

        if (takesKey)
        {
            AddError(operation, document, "422", "The Idempotency-Key was already used with a different request (IDEMPOTENCY_KEY_REUSED; fields names what differs).");
        }

        AddError(operation, document, "401", "No valid bearer token.");
        AddError(operation, document, "403", "The token lacks the scope this operation needs.");
        AddError(operation, document, "500", "An unexpected error; safe to retry with the same Idempotency-Key.");
        AddError(operation, document, "503", "Overloaded or a dependency is unavailable; retry after Retry-After with the same Idempotency-Key.");
    }

    private static void AddError(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchemaName, document) },
            },
        };
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "Payments.Actors API";
        document.Info.Description = "Payments on a virtual-actor grid. Authenticate with OAuth2 client credentials at /connect/token; " +
            "send an Idempotency-Key on every POST. Amounts are integer minor units; times are RFC 3339 UTC.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Client credentials; the access token is a JWT sent as `Authorization: Bearer <token>`.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri("/connect/token", UriKind.Relative),
                    Scopes = new Dictionary<string, string>
                    {
                        [Scopes.PaymentsWrite] = "create and change payments and wallets",
                        [Scopes.PaymentsRead] = "read payments and wallets",
                        [Scopes.Operator] = "operator endpoints (/v1/operator)",
                    },
                },
            },
        };
        document.Paths.Add("/connect/token", OpenApiTokenEndpoint.PathItem(document));
        OpenApiDocumentRules.Apply(document);
    }
}
