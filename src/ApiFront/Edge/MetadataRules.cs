using System.Text;
using Payments.Actors.ApiFront.Edge.Idempotency;

namespace Payments.Actors.ApiFront.Edge;

/// <summary>
/// The <c>metadata</c> member every create accepts (a payment, a refund, a cash-in or cash-out, a hold): an object of
/// string keys to string values within <see cref="MetadataLimits"/>, as Stripe has it. A key sent with an empty value
/// is not kept (Stripe: an empty value unsets the key). Metadata is set at creation only; nothing updates it.
/// </summary>
public static class MetadataRules
{
    public const string Field = "metadata";

    /// <summary>The first failure in ordinal key order, naming <c>metadata</c> or <c>metadata.&lt;key&gt;</c>; null when it may be stored.</summary>
    public static ValidationFailure? Validate(IReadOnlyDictionary<string, string?>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MetadataLimits.KeysMax)
        {
            return new(Field, $"metadata has at most {MetadataLimits.KeysMax} keys; {metadata.Count} were sent.");
        }

        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (KeyFailure(key) is { } keyFailure)
            {
                return keyFailure;
            }

            var field = $"{Field}.{key}";
            if (value is null)
            {
                return new(field, $"{field} must be a string (send \"\" to leave the key out).");
            }

            if (CodePoints(value) is not { } length)
            {
                return new(field, $"{field} must be Unicode text without NUL characters.");
            }

            if (length > MetadataLimits.ValueLengthMax)
            {
                return new(field, $"{field} is at most {MetadataLimits.ValueLengthMax} characters.");
            }
        }

        return null;
    }

    /// <summary>What a validated request stores: its pairs in ordinal key order, keys with an empty value left out; null when none remain.</summary>
    public static Metadata? ToMetadata(IReadOnlyDictionary<string, string?>? metadata) =>
        Metadata.Of(metadata?.Where(pair => !string.IsNullOrEmpty(pair.Value)).Select(pair => KeyValuePair.Create(pair.Key, pair.Value!)));

    /// <summary>
    /// The member as the Idempotency-Key fingerprint sees it: every pair as sent, in ordinal key order, so key order and
    /// whitespace never matter, while an absent member, <c>{}</c> and a pair with an empty value stay different requests.
    /// </summary>
    public static RequestField Fingerprint(IReadOnlyDictionary<string, string?>? metadata) =>
        RequestField.Of(Field, metadata is not null,
            [.. (metadata ?? new Dictionary<string, string?>()).OrderBy(pair => pair.Key, StringComparer.Ordinal).SelectMany(pair => new[] { pair.Key, pair.Value })]);

    private static ValidationFailure? KeyFailure(string key)
    {
        if (key.Length == 0)
        {
            return new(Field, "metadata keys must not be empty.");
        }

        if (CodePoints(key) is not { } length)
        {
            return new(Field, "metadata keys must be Unicode text without NUL characters.");
        }

        if (length > MetadataLimits.KeyLengthMax)
        {
            return new(Field, $"metadata keys are at most {MetadataLimits.KeyLengthMax} characters; one has {length}.");
        }

        return key.AsSpan().IndexOfAny('[', ']') >= 0
            ? new($"{Field}.{key}", $"metadata keys cannot contain '[' or ']': '{key}'.")
            : null;
    }

    /// <summary>The number of characters (Unicode code points); null for text PostgreSQL cannot store (a NUL, an unpaired surrogate).</summary>
    private static int? CodePoints(string text)
    {
        var count = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || rune.Value == 0)
            {
                return null;
            }

            count++;
            rest = rest[consumed..];
        }

        return count;
    }
}
