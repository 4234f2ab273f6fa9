using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// Reads a JSON body with our own error answers: a wrong media type is 415, an oversized body 413,
/// and malformed JSON or an unknown field 400 <c>INVALID_JSON</c> naming where it broke.
/// </summary>
public static class RequestBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, bool allowEmpty) where T : class
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RequestBodyBytesMax;
        if (context.Request.ContentLength > limit)
        {
            return (null, TooLarge(context, limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge(context, limit));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return allowEmpty
                ? (null, null)
                : (null, ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "A JSON request body is required."));
        }

        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiErrorResults.Error(context, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "Send the request body as Content-Type: application/json."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ApiJson.Options);
            return value is null
                ? (null, ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var where = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "the request body" : exception.Path;
            var why = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "contains a field this endpoint does not accept"
                : "is not valid JSON of the expected shape (check types: amounts are integers, strings are quoted)";
            return (null, ApiErrorResults.Error(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson,
                $"The request body {why}, at {where}.", field: exception.Path is { Length: > 2 } path ? ToField(path) : null));
        }
    }

    private static string ToField(string jsonPath) => jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static IResult TooLarge(HttpContext context, int limit) =>
        ApiErrorResults.Error(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.ValidationFailed,
            $"The request body exceeds {limit} bytes.");
}
