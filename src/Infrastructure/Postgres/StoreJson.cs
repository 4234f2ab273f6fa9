using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>How the stores write JSON columns (pending operations, stored results): snake_case, enums by name.</summary>
public static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
