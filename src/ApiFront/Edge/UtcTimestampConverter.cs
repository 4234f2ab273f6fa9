using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// Every time the API writes is RFC 3339 in UTC with a <c>Z</c> (<c>2026-12-03T15:04:05.123456Z</c>), whatever offset the
/// value carries, so clients compare and sort them as strings; a time read may carry any offset.
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
