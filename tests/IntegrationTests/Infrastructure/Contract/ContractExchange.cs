using System.Net.Http.Headers;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>One HTTP request and its answer, as the wire carried them (bodies as bytes, headers by name).</summary>
public sealed record ContractExchange(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> RequestHeaders,
    string? RequestContentType,
    byte[]? RequestBody,
    int Status,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    string? ResponseContentType,
    byte[] ResponseBody)
{
    public static async Task<ContractExchange> ReadAsync(HttpRequestMessage request, byte[]? requestBody, HttpResponseMessage response,
        CancellationToken cancellation)
    {
        await response.Content.LoadIntoBufferAsync(cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        return new ContractExchange(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query,
            Headers(request.Headers, request.Content?.Headers), request.Content?.Headers.ContentType?.MediaType, requestBody,
            (int)response.StatusCode, Headers(response.Headers, response.Content.Headers), response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>Reads a request body so that the request can still be sent: buffered content stays readable.</summary>
    public static async Task<byte[]?> BodyOfAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        if (request.Content is null)
        {
            return null;
        }

        await request.Content.LoadIntoBufferAsync(cancellation);
        return await request.Content.ReadAsByteArrayAsync(cancellation);
    }

    private static Dictionary<string, string> Headers(HttpHeaders headers, HttpHeaders? content)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers.NonValidated)
        {
            all[name] = string.Join(", ", values);
        }

        if (content is not null)
        {
            foreach (var (name, values) in content.NonValidated)
            {
                all[name] = string.Join(", ", values);
            }
        }

        return all;
    }

    public override string ToString() => $"{Method} {Path} -> {Status}";
}

/// <summary>
/// One way an exchange departs from the document: the request (method and path), the status, the operation, whether the
/// request or the response is at fault, where in its body (a JSON pointer) and the rule it breaks.
/// </summary>
public sealed record ContractViolation(string Method, string Path, int Status, string Operation, string Part, string Pointer, string Rule, string Message)
{
    /// <summary>The test that made the exchange, when one was running.</summary>
    public string? Test { get; init; }

    public override string ToString() =>
        $"{Method} {Path} -> {Status} [{Operation}] {Part} {(Pointer.Length == 0 ? "/" : Pointer)}: {Rule}: {Message}" + (Test is null ? "" : $" (in {Test})");
}
