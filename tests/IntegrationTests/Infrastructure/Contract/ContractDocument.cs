using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>One operation of the document: its method, path template and where it sits in the document (a JSON pointer).</summary>
public sealed record ContractOperation(string Method, string Template, string OperationId, string Pointer, JsonElement Element)
{
    /// <summary>Literal segments count first when two templates match one path, as ASP.NET Core's routing prefers them.</summary>
    public int LiteralSegments { get; } = Template.Split('/').Count(s => s.Length > 0 && !s.StartsWith('{'));

    public Regex Matcher { get; } = new("^" + string.Join("/", Template.Split('/').Select(
        s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "$", RegexOptions.CultureInvariant);

    public override string ToString() => $"{OperationId} ({Method} {Template})";
}

/// <summary>
/// The served OpenAPI document, read once, as the exchanges are checked against it: its operations by method and path
/// template, and JSON Schema validators for any schema in it, built by JsonSchema.Net (draft 2020-12, the dialect of
/// OpenAPI 3.1, formats asserted) with <c>$ref</c>s resolved inside the document.
/// </summary>
public sealed class ContractDocument
{
    /// <summary>The error model every /v1 failure answers in.</summary>
    public const string ErrorSchemaPointer = "/components/schemas/ApiError";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
    private readonly Uri _baseUri = new($"https://contract.invalid/{Guid.NewGuid():N}/openapi.json");
    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private ContractDocument(JsonElement root)
    {
        Root = root;
        var registry = new SchemaRegistry();
        registry.Register(_baseUri, new JsonElementBaseDocument(root, _baseUri));
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
        Operations = [.. root.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => Methods.Contains(o.Name))
            .Select(o => new ContractOperation(o.Name.ToUpperInvariant(), path.Name,
                o.Value.TryGetProperty("operationId", out var id) ? id.GetString() ?? "" : "",
                $"/paths/{Escape(path.Name)}/{o.Name}", o.Value)))];
    }

    public JsonElement Root { get; }

    public IReadOnlyList<ContractOperation> Operations { get; }

    public static ContractDocument Parse(ReadOnlySpan<byte> json) => new(JsonDocument.Parse(json.ToArray()).RootElement.Clone());

    /// <summary>The operation a request is for; null when none is (<paramref name="pathKnown"/> says whether another method has the path).</summary>
    public ContractOperation? Find(string method, string path, out bool pathKnown)
    {
        var normalized = path.Length > 1 ? path.TrimEnd('/') : path;
        var candidates = Operations.Where(o => o.Matcher.IsMatch(normalized)).ToList();
        pathKnown = candidates.Count > 0;
        return candidates.Where(o => o.Method == method).OrderByDescending(o => o.LiteralSegments).FirstOrDefault();
    }

    /// <summary>The element at <paramref name="pointer"/>, its <c>$ref</c>s to places in this document followed, and where it was found.</summary>
    public (JsonElement Element, string Pointer) Follow(string pointer)
    {
        var element = At(pointer);
        for (var hops = 0; element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference)
            && reference.GetString() is { } target && target.StartsWith("#/", StringComparison.Ordinal); hops++)
        {
            if (hops > 16)
            {
                throw new InvalidOperationException($"$ref cycle at {target}");
            }

            pointer = target[1..];
            element = At(pointer);
        }

        return (element, pointer);
    }

    /// <summary>The element at a JSON pointer of the document.</summary>
    public JsonElement At(string pointer)
    {
        var element = Root;
        foreach (var token in pointer.Split('/').Skip(1).Select(Unescape))
        {
            element = element.ValueKind == JsonValueKind.Array ? element[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] : element.GetProperty(token);
        }

        return element;
    }

    /// <summary>Evaluates <paramref name="instance"/> against the schema at <paramref name="pointer"/>; every failed leaf, none when valid.</summary>
    public IReadOnlyList<SchemaFailure> Evaluate(string pointer, JsonElement instance)
    {
        var schema = _schemas.GetOrAdd(pointer, p => JsonSchema.Build(
            JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string> { ["$ref"] = $"{_baseUri}#{p}" })).RootElement,
            _build, new Uri(_baseUri, $"validators/{_schemas.Count}-{Guid.NewGuid():N}")));
        // Formats are asserted, not only annotated: a uuid is a UUID and a date-time is RFC 3339 (formats the validator does not
        // know, such as int64 or double, pass).
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        var failures = new List<SchemaFailure>();
        Collect(results, failures);
        return failures;
    }

    /// <summary>Errors of the failing nodes only: a branch of a oneOf that failed while another passed is not the instance's fault.</summary>
    private void Collect(EvaluationResults node, List<SchemaFailure> failures)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            var rule = node.SchemaLocation.ToString().Replace(_baseUri.ToString(), "", StringComparison.Ordinal);
            failures.Add(new SchemaFailure(node.InstanceLocation.ToString(), keyword, rule, message));
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, failures);
        }
    }

    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}

/// <summary>One schema rule an instance breaks: where in the instance, which keyword, where the rule is in the document.</summary>
public sealed record SchemaFailure(string InstancePointer, string Keyword, string SchemaLocation, string Message)
{
    public override string ToString() => $"{(InstancePointer.Length == 0 ? "/" : InstancePointer)}: {Keyword} ({SchemaLocation}): {Message}";
}
