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
                var method = context.Description.HttpMethod;
                Describe(operation, context.Document!, string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase));
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

    private static void Describe(OpenApiOperation operation, OpenApiDocument document, bool isPost)
    {
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] });
        if (isPost)
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
        document.Paths.Add("/connect/token", TokenPath());
    }

    private static OpenApiPathItem TokenPath()
    {
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "grant_type", "client_id", "client_secret" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("client_credentials")] },
                ["client_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["client_secret"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Space-separated scopes." },
            },
        };
        var token = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "access_token", "token_type", "expires_in" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["access_token"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["token_type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        var error = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        var operation = new OpenApiOperation
        {
            OperationId = "CreateToken",
            Summary = "An access token for a client (OAuth2 client credentials, RFC 6749 §4.4).",
            Tags = new HashSet<OpenApiTagReference>(),
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/x-www-form-urlencoded"] = new() { Schema = form } },
            },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The token.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = token } },
                },
                ["400"] = new OpenApiResponse
                {
                    Description = "Invalid request, client or scope (RFC 6749 §5.2).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = error } },
                },
            },
        };
        var path = new OpenApiPathItem();
        path.AddOperation(HttpMethod.Post, operation);
        return path;
    }
}
