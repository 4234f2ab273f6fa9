using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Payments.Actors.ApiFront.Edge.OpenApi;

/// <summary>
/// <c>POST /connect/token</c> as the embedded OAuth2 server answers it (OpenIddict, client credentials): the client
/// authenticates with client_id and client_secret in the form or with HTTP Basic; errors are RFC 6749 §5.2 objects, 400
/// for a bad request, grant or scope and 401 for a client that does not authenticate. Its schemas are named components,
/// so that a generated client gets named types.
/// </summary>
internal static class OpenApiTokenEndpoint
{
    public const string Tag = "OAuth2";
    public const string RequestSchema = "TokenRequest";
    public const string ResponseSchema = "TokenResponse";
    public const string ErrorSchema = "OAuthError";
    private const string GrantType = "client_credentials";

    public static OpenApiPathItem PathItem(OpenApiDocument document)
    {
        AddSchemas(document);
        var operation = new OpenApiOperation
        {
            OperationId = "CreateToken",
            Summary = "An access token for a client (OAuth2 client credentials, RFC 6749 §4.4).",
            Description = "Authenticate the client with client_id and client_secret in the form, or with HTTP Basic " +
                "(Authorization: Basic base64(client_id:client_secret)) and no secret in the form.",
            Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
            RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new() { Schema = new OpenApiSchemaReference(RequestSchema, document) },
                },
            },
            Responses = new OpenApiResponses
            {
                ["200"] = Json("The token.", ResponseSchema, document),
                ["400"] = Json("Invalid request, grant type or scope (RFC 6749 §5.2: invalid_request, unsupported_grant_type, invalid_scope).", ErrorSchema, document),
                ["401"] = Json("The client did not authenticate: unknown client or wrong secret (invalid_client).", ErrorSchema, document),
            },
        };
        var path = new OpenApiPathItem();
        path.AddOperation(HttpMethod.Post, operation);
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag, Description = "Access tokens for the API." });
        return path;
    }

    private static OpenApiResponse Json(string description, string schema, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(schema, document) } },
    };

    private static void AddSchemas(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[RequestSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "grant_type" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                // A const with its default rather than a one-value enum: generated clients then send it by themselves (an enum
                // becomes a C# enum that System.Text.Json writes by its C# name, Client_credentials, which the server refuses).
                ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = GrantType, Default = JsonValue.Create(GrantType) },
                ["client_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Required unless sent with HTTP Basic." },
                ["client_secret"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Required unless sent with HTTP Basic." },
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Space-separated scopes; all of the client's when left out." },
            },
        };
        document.Components.Schemas[ResponseSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "access_token", "token_type", "expires_in" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["access_token"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JWT, sent as Authorization: Bearer <token>." },
                ["token_type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["expires_in"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "Seconds until the token expires." },
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        document.Components.Schemas[ErrorSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "error" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["error_uri"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
    }
}
