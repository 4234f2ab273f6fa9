using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// Checks one exchange against the document, generically (nothing here knows a field of the API):
/// <list type="bullet">
/// <item>the request: required headers and query parameters, parameter values against their schemas, credentials where
/// the operation states security, the body's content type and the body against the requestBody schema. A request the
/// document rules out is fine as a test's deliberate mistake, but the API must then refuse it with a 4xx: answering it
/// otherwise means the document is stricter than the API;</item>
/// <item>the response: its status documented for the operation (an undocumented status is itself a violation), its
/// required headers present and valid, its content type documented, its body valid against that status's schema;</item>
/// <item>a request for no operation of the document: refused 404 (unknown path) or 405 (known path, other method) in the
/// error model.</item>
/// </list>
/// </summary>
public static partial class ContractValidator
{
    public static IReadOnlyList<ContractViolation> Check(ContractDocument document, ContractExchange exchange, out ContractOperation? operation)
    {
        operation = document.Find(exchange.Method, exchange.Path, out var pathKnown);
        if (operation is null)
        {
            return OffContract(document, exchange, pathKnown);
        }

        var op = operation;
        var violations = new List<ContractViolation>();
        if (exchange.Status is < 400 or >= 500)
        {
            violations.AddRange(RequestProblems(document, op, exchange).Select(p => Violation(exchange, op.OperationId, "request", p with
            {
                Message = $"the document rules this request out, yet the API answered {exchange.Status}: {p.Message}",
            })));
        }

        violations.AddRange(ResponseProblems(document, op, exchange).Select(p => Violation(exchange, op.OperationId, "response", p)));
        return violations;
    }

    /// <summary>What makes the request one the document does not allow; empty when it is a valid request.</summary>
    public static IReadOnlyList<Problem> RequestProblems(ContractDocument document, ContractOperation operation, ContractExchange exchange)
    {
        var problems = new List<Problem>();
        problems.AddRange(ParameterProblems(document, operation, exchange));
        var security = operation.Element.TryGetProperty("security", out var own) ? own
            : document.Root.TryGetProperty("security", out var global) ? global : default;
        var anonymousAllowed = security.ValueKind != JsonValueKind.Array || security.GetArrayLength() == 0
            || security.EnumerateArray().Any(requirement => !requirement.EnumerateObject().Any());
        if (!anonymousAllowed && !exchange.RequestHeaders.ContainsKey("Authorization"))
        {
            problems.Add(new Problem("", "security", "the operation states security and the request carries no Authorization header"));
        }

        if (operation.Element.TryGetProperty("requestBody", out _))
        {
            problems.AddRange(BodyProblems(document, $"{operation.Pointer}/requestBody", exchange.RequestContentType, exchange.RequestBody, "requestBody"));
        }

        return problems;
    }

    private static IEnumerable<Problem> ParameterProblems(ContractDocument document, ContractOperation operation, ContractExchange exchange)
    {
        var query = ParseQuery(exchange.Query);
        var pathPointer = operation.Pointer[..operation.Pointer.LastIndexOf('/')];
        var pointers = new[] { pathPointer, operation.Pointer }
            .Where(p => document.At(p).TryGetProperty("parameters", out _))
            .SelectMany(p => Enumerable.Range(0, document.At(p).GetProperty("parameters").GetArrayLength()).Select(i => $"{p}/parameters/{i}"));
        foreach (var (parameter, pointer) in pointers.Select(document.Follow))
        {
            var name = parameter.GetProperty("name").GetString()!;
            var location = parameter.GetProperty("in").GetString();
            string? value = location switch
            {
                "header" => exchange.RequestHeaders.GetValueOrDefault(name),
                "query" => query.GetValueOrDefault(name),
                _ => null,
            };
            var required = parameter.TryGetProperty("required", out var r) && r.GetBoolean();
            if (value is null && required && location is "header" or "query")
            {
                yield return new Problem("", $"parameters ({pointer}): required", $"the {location} parameter {name} is missing");
            }
            else if (value is not null && parameter.TryGetProperty("schema", out _))
            {
                foreach (var failure in document.Evaluate($"{pointer}/schema", ParameterValue(document, $"{pointer}/schema", value)))
                {
                    yield return new Problem(failure.InstancePointer, $"{failure.Keyword} ({failure.SchemaLocation})",
                        $"the {location} parameter {name} = '{value}': {failure.Message}");
                }
            }
        }
    }

    private static IEnumerable<Problem> ResponseProblems(ContractDocument document, ContractOperation operation, ContractExchange exchange)
    {
        var responses = document.At($"{operation.Pointer}/responses");
        var status = exchange.Status.ToString(CultureInfo.InvariantCulture);
        var key = new[] { status, $"{status[0]}XX", "default" }.FirstOrDefault(k => responses.TryGetProperty(k, out _));
        if (key is null)
        {
            var documented = string.Join(", ", responses.EnumerateObject().Select(r => r.Name));
            return [new Problem("", "responses", $"status {status} is not documented for {operation.OperationId} (documented: {documented})")];
        }

        var (response, pointer) = document.Follow($"{operation.Pointer}/responses/{key}");
        var problems = new List<Problem>();
        if (response.TryGetProperty("headers", out var headers))
        {
            problems.AddRange(HeaderProblems(document, pointer, headers, exchange));
        }

        if (response.TryGetProperty("content", out var content) && content.EnumerateObject().Any())
        {
            problems.AddRange(BodyProblems(document, pointer, exchange.ResponseContentType, exchange.ResponseBody, $"responses/{key}"));
        }
        else if (exchange.ResponseBody.Length > 0)
        {
            problems.Add(new Problem("", $"responses/{key}: no content", $"the answer has a {exchange.ResponseBody.Length}-byte body the document does not describe"));
        }

        return problems;
    }

    private static IEnumerable<Problem> HeaderProblems(ContractDocument document, string responsePointer, JsonElement headers, ContractExchange exchange)
    {
        foreach (var name in headers.EnumerateObject().Select(h => h.Name))
        {
            var (header, pointer) = document.Follow($"{responsePointer}/headers/{ContractDocument.Escape(name)}");
            var value = exchange.ResponseHeaders.GetValueOrDefault(name);
            if (value is null)
            {
                if (header.TryGetProperty("required", out var required) && required.GetBoolean())
                {
                    yield return new Problem("", $"headers/{name}: required ({pointer})", $"the response header {name} is missing");
                }

                continue;
            }

            if (header.TryGetProperty("schema", out _))
            {
                foreach (var failure in document.Evaluate($"{pointer}/schema", ParameterValue(document, $"{pointer}/schema", value)))
                {
                    yield return new Problem("", $"headers/{name}: {failure.Keyword} ({failure.SchemaLocation})", $"'{value}': {failure.Message}");
                }
            }
        }
    }

    /// <summary>A body against a requestBody or response object at <paramref name="pointer"/>: present if required, of a documented type, valid.</summary>
    private static IEnumerable<Problem> BodyProblems(ContractDocument document, string pointer, string? contentType, byte[]? body, string what)
    {
        var (owner, ownerPointer) = document.Follow(pointer);
        if (body is null || body.Length == 0)
        {
            var required = what != "requestBody" || owner.TryGetProperty("required", out var r) && r.GetBoolean();
            return required ? [new Problem("", $"{what}: required", "the document describes a body and none was sent")] : [];
        }

        var content = owner.GetProperty("content");
        var mediaType = content.EnumerateObject().Select(m => m.Name)
            .FirstOrDefault(m => string.Equals(m, contentType, StringComparison.OrdinalIgnoreCase));
        if (mediaType is null)
        {
            return [new Problem("", $"{what}/content", $"content type '{contentType}' is not documented ({string.Join(", ", content.EnumerateObject().Select(m => m.Name))})")];
        }

        var schemaPointer = $"{ownerPointer}/content/{ContractDocument.Escape(mediaType)}/schema";
        if (!content.GetProperty(mediaType).TryGetProperty("schema", out _))
        {
            return [];
        }

        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var form = JsonSerializer.SerializeToElement(ParseQuery(Encoding.UTF8.GetString(body)));
            return document.Evaluate(schemaPointer, form).Select(f => new Problem(f.InstancePointer, $"{f.Keyword} ({f.SchemaLocation})", f.Message));
        }

        if (!IsJson(mediaType))
        {
            return [];
        }

        if (ParseJson(body, out var error) is not { } json)
        {
            return [new Problem("", $"{what}: JSON", $"the body is not JSON: {error}")];
        }

        using (json)
        {
            return [.. document.Evaluate(schemaPointer, json.RootElement).Select(f => new Problem(f.InstancePointer, $"{f.Keyword} ({f.SchemaLocation})", f.Message))];
        }
    }

    /// <summary>A request for no documented operation must be refused: 404 for an unknown path, 405 for another method, in the error model.</summary>
    private static List<ContractViolation> OffContract(ContractDocument document, ContractExchange exchange, bool pathKnown)
    {
        var expected = pathKnown ? 405 : 404;
        var violations = new List<ContractViolation>();
        if (exchange.Status != expected)
        {
            violations.Add(Violation(exchange, "(none)", "response", new Problem("", "paths",
                $"no operation of the document is {exchange.Method} {exchange.Path}: it must be refused {expected} in the error model, not {exchange.Status}")));
        }

        violations.AddRange(ErrorModelProblems(document, exchange).Select(p => Violation(exchange, "(none)", "response", p)));
        return violations;
    }

    private static IEnumerable<Problem> ErrorModelProblems(ContractDocument document, ContractExchange exchange)
    {
        if (!IsJson(exchange.ResponseContentType ?? "") || ParseJson(exchange.ResponseBody, out _) is not { } json)
        {
            return [new Problem("", "error model", $"the refusal is not JSON ({exchange.ResponseContentType})")];
        }

        using (json)
        {
            return [.. document.Evaluate(ContractDocument.ErrorSchemaPointer, json.RootElement)
                .Select(f => new Problem(f.InstancePointer, $"{f.Keyword} ({f.SchemaLocation})", f.Message))];
        }
    }

    /// <summary>A parameter or header value as its schema reads it: a number or boolean where the schema allows one, else a string.</summary>
    private static JsonElement ParameterValue(ContractDocument document, string schemaPointer, string value)
    {
        var schema = document.Follow(schemaPointer).Element;
        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()]
            : [];
        var literal = (types.Contains("integer") || types.Contains("number")) && JsonNumber().IsMatch(value)
            || types.Contains("boolean") && value is "true" or "false";
        return literal ? JsonDocument.Parse(value).RootElement.Clone() : JsonSerializer.SerializeToElement(value);
    }

    /// <summary>The body as JSON, or null with the parser's complaint: a test may send malformed JSON on purpose.</summary>
    private static JsonDocument? ParseJson(byte[] body, out string? error)
    {
        try
        {
            error = null;
            return JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return null;
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(split < 0 ? pair : pair[..split]);
            values.TryAdd(name, split < 0 ? "" : Decode(pair[(split + 1)..]));
        }

        return values;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static ContractViolation Violation(ContractExchange exchange, string operation, string part, Problem problem) =>
        new(exchange.Method, exchange.Path + exchange.Query, exchange.Status, operation, part, problem.Pointer, problem.Rule, problem.Message);

    [GeneratedRegex(@"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    /// <summary>One way a request or response departs from the document: where in its body, the rule, what is wrong.</summary>
    public sealed record Problem(string Pointer, string Rule, string Message);
}
