using System.Text.Json;

namespace Payments.Actors.ApiFront.Edge.Errors;

/// <summary>Writes <see cref="ApiError"/> bodies. Every error path of the API goes through here.</summary>
public static class ApiErrorResults
{
    public static IResult Error(HttpContext context, int statusCode, string errorCode, string message,
        bool retryable = false, string? currentState = null, string? field = null, IReadOnlyList<string>? fields = null) =>
        TypedResults.Json(
            new ApiError(errorCode, message, retryable, ApiError.CorrelationIdOf(context)) { CurrentState = currentState, Field = field, Fields = fields },
            ApiJson.Options, "application/json", statusCode);

    /// <summary>400 <c>VALIDATION_FAILED</c> naming the field a request got wrong.</summary>
    public static IResult Invalid(HttpContext context, ValidationFailure failure) =>
        Error(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, failure.Message, field: failure.Field);

    public static Task WriteAsync(HttpContext context, int statusCode, string errorCode, string message, bool retryable = false, string? field = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        var error = new ApiError(errorCode, message, retryable, ApiError.CorrelationIdOf(context)) { Field = field };
        return JsonSerializer.SerializeAsync(context.Response.Body, error, ApiJson.Options, context.RequestAborted);
    }
}
