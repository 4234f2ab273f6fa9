using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Actors;

/// <summary>
/// <see cref="Metadata"/> as a JSON object of strings, its keys written exactly as the merchant sent them (no naming
/// policy touches them) in ordinal order. Reading checks only the shape, never <see cref="MetadataLimits"/>: a stored
/// object or an event written under other limits must still read.
/// </summary>
public sealed class MetadataJsonConverter : JsonConverter<Metadata>
{
    public override Metadata Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("metadata must be a JSON object of strings.");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("metadata values must be strings.");
            }

            pairs.Add(new(key, reader.GetString()!));
        }

        return Metadata.Of(pairs) ?? Metadata.Empty;
    }

    public override void Write(Utf8JsonWriter writer, Metadata value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, text);
        }

        writer.WriteEndObject();
    }
}
