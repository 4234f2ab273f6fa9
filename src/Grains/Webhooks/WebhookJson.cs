using System.Globalization;
using System.Text.Json;
using Payments.Actors.Money;

namespace Payments.Actors.Grains.Webhooks;

/// <summary>A body that is valid JSON but not what its provider's contract says (docs/psp-webhooks.md).</summary>
public sealed class WebhookParseException(string message) : Exception(message);

/// <summary>
/// Strict reads of a provider's JSON body: a required member that is missing, null or of another type, a string
/// holding a NUL, an unknown currency or a non-integer amount is a <see cref="WebhookParseException"/> naming the member,
/// never a guess. Values never go into the message, so a parse error can be stored and logged as it is.
/// </summary>
internal static class WebhookJson
{
    /// <summary>Longest text we keep from a provider (ids, references, reasons); longer is a contract violation.</summary>
    public const int TextLengthMax = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    public static JsonDocument Parse(byte[] body)
    {
        var document = JsonDocument.Parse(body, DocumentOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new WebhookParseException("the body is not a JSON object");
        }

        return document;
    }

    public static JsonElement RequiredObject(JsonElement parent, string name) =>
        Member(parent, name) is { ValueKind: JsonValueKind.Object } value ? value : throw Missing(name, "an object");

    public static string RequiredString(JsonElement parent, string name) =>
        OptionalString(parent, name) ?? throw Missing(name, "a string");

    public static string? OptionalString(JsonElement parent, string name)
    {
        switch (Member(parent, name))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return null;
            case { ValueKind: JsonValueKind.String } value:
                var text = value.GetString()!;
                if (text.Length is 0 or > TextLengthMax || text.Contains('\0', StringComparison.Ordinal))
                {
                    throw new WebhookParseException($"{name} must be 1-{TextLengthMax} characters without NUL");
                }

                return text;
            default:
                throw Missing(name, "a string");
        }
    }

    public static long RequiredAmount(JsonElement parent, string name) => OptionalAmount(parent, name) ?? throw Missing(name, "an integer amount");

    public static long? OptionalAmount(JsonElement parent, string name) => Member(parent, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var amount) && amount >= 0 => amount,
        _ => throw Missing(name, "a non-negative integer"),
    };

    public static bool RequiredBool(JsonElement parent, string name) => Member(parent, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Missing(name, "a boolean"),
    };

    public static DateTimeOffset RequiredUnixTime(JsonElement parent, string name) => OptionalUnixTime(parent, name) ?? throw Missing(name, "unix seconds");

    public static DateTimeOffset? OptionalUnixTime(JsonElement parent, string name) => Member(parent, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var seconds) && seconds is > 0 and < 253_402_300_800 =>
            DateTimeOffset.FromUnixTimeSeconds(seconds),
        _ => throw Missing(name, "unix seconds"),
    };

    public static DateTimeOffset RequiredTime(JsonElement parent, string name) => OptionalTime(parent, name) ?? throw Missing(name, "an ISO 8601 time");

    public static DateTimeOffset? OptionalTime(JsonElement parent, string name) =>
        OptionalString(parent, name) is not { } text
            ? null
            : DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw Missing(name, "an ISO 8601 time with a zone (2026-12-03T10:00:00Z)");

    public static string RequiredCurrency(JsonElement parent, string name) =>
        RequiredString(parent, name) is var code && Currencies.IsKnown(code) ? code : throw Missing(name, "an ISO 4217 currency code");

    /// <summary>Our payment id as we sent it to the PSP (32 lowercase hex digits, <c>Guid.ToString("N")</c>).</summary>
    public static Guid RequiredPaymentId(JsonElement parent, string name) =>
        Guid.TryParseExact(RequiredString(parent, name), "N", out var id) ? id : throw Missing(name, "our payment id (32 hex digits)");

    /// <summary>A decimal string in major units with exactly the currency's number of decimals ("12.50" EUR, "1250" JPY) in minor units.</summary>
    public static long MajorUnitsToMinor(string amount, string currency, string name)
    {
        var exponent = Currencies.ExponentOf(currency);
        var dot = amount.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? amount : amount[..dot];
        var fraction = dot < 0 ? "" : amount[(dot + 1)..];
        if (whole.Length is 0 or > 15 || !whole.All(char.IsAsciiDigit) || (whole.Length > 1 && whole[0] == '0')
            || fraction.Length != exponent || !fraction.All(char.IsAsciiDigit) || (exponent == 0 && dot >= 0))
        {
            throw new WebhookParseException($"{name} must be a decimal string with exactly {exponent} decimals for {currency}");
        }

        return long.Parse(whole + fraction, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static WebhookParseException Unknown(string name, string value) =>
        new($"{name} '{Printable(value)}' is not one this platform knows");

    /// <summary>At most 64 printable characters of a provider's value, for a message.</summary>
    public static string Printable(string value) => new([.. value.Where(c => !char.IsControl(c)).Take(64)]);

    private static JsonElement? Member(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : null;

    private static WebhookParseException Missing(string name, string what) => new($"{name} must be {what}");
}
