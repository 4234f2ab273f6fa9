using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>Reading request bodies with source-generated metadata; a body that is not the expected JSON is a value, not an exception.</summary>
internal static class WireJson
{
    public static bool TryRead<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value)
        where T : class
    {
        if (body.IsEmpty)
        {
            value = null;
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (JsonException)
        {
            value = null;
        }

        return value is not null;
    }

    public static byte[] Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}
