using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Payments.Actors.ApiFront.Edge.Errors;

/// <summary>
/// The error model of the merchant API (seed §4): every non-2xx answer carries this body.
/// New fields are additive and omitted when null.
/// </summary>
public sealed record ApiError(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("retryable")] bool Retryable,
    [property: JsonPropertyName("correlation_id")] string CorrelationId)
{
    /// <summary>The payment's state when an operation was refused because of it (409).</summary>
    [JsonPropertyName("current_state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CurrentState { get; init; }

    /// <summary>The request field that failed validation, when there is one.</summary>
    [JsonPropertyName("field")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }

    /// <summary>The request fields that differ from the first use of an Idempotency-Key (422 <c>IDEMPOTENCY_KEY_REUSED</c>), by name.</summary>
    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The correlation id is the W3C trace id of the request, so logs and traces join on it.</summary>
    public static string CorrelationIdOf(HttpContext context) =>
        Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
}
