using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.ApiFront.Edge.Idempotency;

/// <summary>One request field as the fingerprint sees it: its wire name and canonical value, null when absent.</summary>
public readonly record struct RequestField(string Name, string? Value)
{
    public static RequestField Of(string name, string? value) => new(name, value);

    public static RequestField Of(string name, long? value) => new(name, value?.ToString(CultureInfo.InvariantCulture));

    public static RequestField Of(string name, bool? value) => new(name, value is { } flag ? (flag ? "true" : "false") : null);

    /// <summary>An object field: its parts length-prefixed, so no part can imitate another or an absent one.</summary>
    public static RequestField Of(string name, bool present, params ReadOnlySpan<string?> parts) =>
        new(name, present ? IdempotencyKey.LengthPrefixed(parts) : null);
}

/// <summary>
/// The whole request's fingerprint and one short digest per field. The hash alone decides replay or refusal;
/// the digests only name, in a refusal, the fields that differ from the key's first use. Both are built from
/// parsed values, so field order and JSON whitespace never matter, while absent, null and empty stay distinct.
/// No value is ever stored, only digests, and card fields enter as brand-free last four digits and expiry.
/// </summary>
public sealed record RequestFingerprint(string Hash, string? FieldDigests)
{
    /// <summary>The field name the route takes in the digests: a key reused on another endpoint or target differs in it.</summary>
    public const string PathField = "path";

    // 64 bits name a differing field with certainty in practice, and keep a key's stored digests small;
    // they never decide a replay, the full SHA-256 hash does.
    private const int DigestBytes = 8;

    public static RequestFingerprint Of(string merchantId, string path, IReadOnlyList<RequestField> body)
    {
        var fields = body.Prepend(new RequestField(PathField, path)).OrderBy(field => field.Name, StringComparer.Ordinal).ToList();
        if (fields.Select(field => field.Name).Distinct(StringComparer.Ordinal).Count() != fields.Count)
        {
            throw new ArgumentException("Each request field is fingerprinted once.", nameof(body));
        }

        var whole = new List<string?> { "POST", merchantId };
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            whole.Add(field.Name);
            whole.Add(field.Value);
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(IdempotencyKey.LengthPrefixed([field.Name, field.Value])));
            digests[field.Name] = Convert.ToHexStringLower(digest.AsSpan(0, DigestBytes));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IdempotencyKey.LengthPrefixed(whole.ToArray()))));
        return new RequestFingerprint(hash, JsonSerializer.Serialize(digests));
    }

    /// <summary>
    /// The fields whose digests differ between the key's first use (<paramref name="stored"/>) and this request, in name
    /// order; a field present in only one of them differs. Null when nothing was stored (a key stored before field
    /// digests existed) or it cannot be read: then the refusal names no field.
    /// </summary>
    public static IReadOnlyList<string>? DifferingFields(string? stored, string? current)
    {
        if (Parse(stored) is not { } before || Parse(current) is not { } now)
        {
            return null;
        }

        return [.. before.Keys.Union(now.Keys, StringComparer.Ordinal)
            .Where(name => !before.TryGetValue(name, out var a) || !now.TryGetValue(name, out var b) || !string.Equals(a, b, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, string>? Parse(string? digests)
    {
        if (string.IsNullOrEmpty(digests))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(digests);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
