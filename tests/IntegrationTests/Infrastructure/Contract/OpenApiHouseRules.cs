using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The house rules of the published document, beyond what OpenAPI itself requires: each operation has a unique
/// operationId, a summary and a tag, answers at least one 2xx with a schema or an example (or a 204, without a body),
/// and fails in the error model (ApiError for /v1; RFC 6749 errors for the token endpoint); every schema property is
/// named snake_case. Each finding names the operation or the JSON pointer of the property.
/// </summary>
public static partial class OpenApiHouseRules
{
    public const string ErrorSchema = "ApiError";
    public const string OAuthErrorSchema = "OAuthError";

    /// <summary>Every finding of the operation rules, on a document Microsoft.OpenApi has read.</summary>
    public static IReadOnlyList<string> OperationFindings(OpenApiDocument document)
    {
        var findings = new List<string>();
        var operations = (document.Paths ?? []).SelectMany(path => (path.Value.Operations ?? [])
            .Select(o => (Name: $"{o.Key.Method.ToUpperInvariant()} {path.Key}", Path: path.Key, Operation: o.Value))).ToList();
        foreach (var (name, path, operation) in operations)
        {
            if (string.IsNullOrWhiteSpace(operation.OperationId))
            {
                findings.Add($"{name}: no operationId");
            }

            if (string.IsNullOrWhiteSpace(operation.Summary))
            {
                findings.Add($"{name}: no summary");
            }

            if (operation.Tags is not { Count: > 0 })
            {
                findings.Add($"{name}: no tag");
            }

            findings.AddRange(ResponseFindings(name, path, operation));
        }

        findings.AddRange(operations.Where(o => !string.IsNullOrWhiteSpace(o.Operation.OperationId)).GroupBy(o => o.Operation.OperationId)
            .Where(g => g.Count() > 1).Select(g => $"operationId {g.Key} is used by {string.Join(" and ", g.Select(o => o.Name))}"));
        return findings;
    }

    private static IEnumerable<string> ResponseFindings(string name, string path, OpenApiOperation operation)
    {
        var responses = operation.Responses ?? [];
        var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
        // A 204 has no body by definition (RFC 9110 §15.3.5): saying nothing about its content is describing it fully.
        if (!successes.Any(r => r.Key == "204" ? r.Value.Content is not { Count: > 0 } : (r.Value.Content ?? new Dictionary<string, OpenApiMediaType>()).Values
            .Any(m => m.Schema is not null || m.Example is not null || m.Examples is { Count: > 0 })))
        {
            yield return $"{name}: no 2xx response with a schema or an example";
        }

        if (successes.Any(r => r.Key == "204" && r.Value.Content is { Count: > 0 }))
        {
            yield return $"{name}: 204 describes a body";
        }

        var errorModel = path.StartsWith("/v1/", StringComparison.Ordinal) ? ErrorSchema : OAuthErrorSchema;
        foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4')))
        {
            var schemas = (response.Content ?? new Dictionary<string, OpenApiMediaType>()).Values.Select(m => m.Schema).ToList();
            if (schemas.Count == 0 || !schemas.All(s => IsOrExtends(s, errorModel)))
            {
                yield return $"{name}: {status} is not in the error model ({errorModel})";
            }
        }
    }

    /// <summary>The schema is a reference to <paramref name="id"/>, or an allOf one of whose members is.</summary>
    private static bool IsOrExtends(IOpenApiSchema? schema, string id) =>
        schema is OpenApiSchemaReference reference ? reference.Reference.Id == id : schema?.AllOf?.Any(s => IsOrExtends(s, id)) == true;

    /// <summary>Every property name anywhere in the document's schemas that is not snake_case, by JSON pointer.</summary>
    public static IReadOnlyList<string> PropertyNameFindings(JsonElement document)
    {
        var findings = new List<string>();
        Walk(document, "", findings);
        return findings;
    }

    private static void Walk(JsonElement element, string pointer, List<string> findings)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{pointer}/{i++}", findings);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var member in element.EnumerateObject())
        {
            var at = $"{pointer}/{ContractDocument.Escape(member.Name)}";
            if (member.Name == "properties" && member.Value.ValueKind == JsonValueKind.Object && !pointer.EndsWith("/properties", StringComparison.Ordinal))
            {
                findings.AddRange(member.Value.EnumerateObject().Where(p => !SnakeCase().IsMatch(p.Name))
                    .Select(p => $"{at}/{ContractDocument.Escape(p.Name)} is not snake_case"));
            }

            Walk(member.Value, at, findings);
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
