using Microsoft.OpenApi;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge.OpenApi;

/// <summary>
/// Document-wide facts of the wire format that no single endpoint states, applied once every operation and schema is
/// known (the contract tests check each against real exchanges):
/// <list type="bullet">
/// <item>a member that may be null may be left out, however the generator wrote its nullability (a type list or a
/// <c>oneOf</c> with null);</item>
/// <item>request bodies take no member they do not name, an empty one none at all (the API refuses unknown members with
/// 400 INVALID_JSON); only schemas that no response uses are closed, since responses may grow members;</item>
/// <item>every 4xx of a /v1 operation is in the error model: a richer body (the ledger verification's 409) is an
/// <c>allOf</c> of ApiError and itself;</item>
/// <item>every answer names its request in a Request-Id header; an answer replayed for an Idempotency-Key says so in
/// Idempotent-Replayed; a 503 may carry Retry-After.</item>
/// </list>
/// </summary>
internal static class OpenApiDocumentRules
{
    public const string RequestIdHeader = "Request-Id";

    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        var schemas = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            OptionalNullables(schema);
        }

        var operations = (document.Paths ?? []).SelectMany(path => (path.Value.Operations ?? []).Select(o => (Path: path.Key, Operation: o.Value))).ToList();
        CloseRequestSchemas(schemas, operations.Select(o => o.Operation).ToList());
        AddHeaders(document, operations.Select(o => o.Operation));
        foreach (var (path, operation) in operations.Where(o => o.Path.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            ErrorModelOnFailures(operation, document);
        }
    }

    private static void OptionalNullables(OpenApiSchema schema)
    {
        if (schema.Properties is not { Count: > 0 } properties || schema.Required is not { Count: > 0 } required)
        {
            return;
        }

        foreach (var (name, property) in properties)
        {
            var nullable = property.Type is { } type && type.HasFlag(JsonSchemaType.Null)
                || (property.OneOf ?? []).Concat(property.AnyOf ?? []).Any(s => s.Type == JsonSchemaType.Null);
            if (nullable)
            {
                required.Remove(name);
            }
        }
    }

    private static void CloseRequestSchemas(IDictionary<string, IOpenApiSchema> schemas, IReadOnlyList<OpenApiOperation> operations)
    {
        var requestSchemas = operations.SelectMany(o => o.RequestBody?.Content?.Values ?? []).Select(m => m.Schema);
        var responseSchemas = operations.SelectMany(o => (o.Responses ?? []).Values).SelectMany(r => r.Content?.Values ?? []).Select(m => m.Schema);
        var inResponses = Referenced(schemas, responseSchemas);
        foreach (var id in Referenced(schemas, requestSchemas).Except(inResponses))
        {
            // An empty body type (VoidRequest) takes no member either: the API refuses any it is sent.
            if (schemas[id] is OpenApiSchema { AdditionalProperties: null } schema && (schema.Properties is { Count: > 0 } || schema.Type == JsonSchemaType.Object))
            {
                schema.AdditionalPropertiesAllowed = false;
            }
        }
    }

    /// <summary>The component schemas <paramref name="roots"/> refer to, directly or through other components.</summary>
    private static HashSet<string> Referenced(IDictionary<string, IOpenApiSchema> schemas, IEnumerable<IOpenApiSchema?> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && found.Add(id) && schemas.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            var children = (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
                .Append(schema.Items).Append(schema.AdditionalProperties).OfType<IOpenApiSchema>();
            foreach (var child in children)
            {
                pending.Push(child);
            }
        }

        return found;
    }

    private static void ErrorModelOnFailures(OpenApiOperation operation, OpenApiDocument document)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (!status.StartsWith('4') || response.Content is null || !response.Content.TryGetValue("application/json", out var json)
                || json.Schema is OpenApiSchemaReference { Reference.Id: OpenApiContract.ErrorSchemaName })
            {
                continue;
            }

            json.Schema = new OpenApiSchema { AllOf = [new OpenApiSchemaReference(OpenApiContract.ErrorSchemaName, document), json.Schema!] };
        }
    }

    private static void AddHeaders(OpenApiDocument document, IEnumerable<OpenApiOperation> operations)
    {
        var headers = document.Components!.Headers ??= new Dictionary<string, IOpenApiHeader>();
        headers[RequestIdHeader] = new OpenApiHeader
        {
            Description = "Names the request (its W3C trace id; the correlation_id of an error): quote it to support.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 },
        };
        headers[IdempotencyKey.ReplayedHeaderName] = new OpenApiHeader
        {
            Description = "true when this is the stored answer to an earlier request with the same Idempotency-Key.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("true")] },
        };
        headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying (with the same Idempotency-Key).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
        };
        foreach (var operation in operations)
        {
            var takesKey = operation.Parameters?.Any(p => p.Name == IdempotencyKey.HeaderName && p.In == ParameterLocation.Header) == true;
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response is not OpenApiResponse concrete)
                {
                    continue;
                }

                var responseHeaders = concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                responseHeaders[RequestIdHeader] = new OpenApiHeaderReference(RequestIdHeader, document);
                if (takesKey)
                {
                    responseHeaders[IdempotencyKey.ReplayedHeaderName] = new OpenApiHeaderReference(IdempotencyKey.ReplayedHeaderName, document);
                }

                if (status == "503")
                {
                    responseHeaders["Retry-After"] = new OpenApiHeaderReference("Retry-After", document);
                }
            }
        }
    }
}
