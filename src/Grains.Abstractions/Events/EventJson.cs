using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Actors.Events;

/// <summary>How event payloads are written and read: snake_case names, exact types (a number in a string is an error).</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, Options);

    /// <summary>Reads a payload; throws <see cref="JsonException"/> (its <c>Path</c> names the field) when it does not fit.</summary>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
