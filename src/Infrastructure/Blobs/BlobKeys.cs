using System.Text.RegularExpressions;

namespace Payments.Actors.Infrastructure.Blobs;

/// <summary>
/// The shape every blob key must have, in every store: '/'-separated segments of letters, digits, '.', '_' and '-',
/// none of them '.' or '..'. A key can then never leave the file store's directory, and it means the same object name in S3.
/// </summary>
public static partial class BlobKeys
{
    public const int LengthMax = 512;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= LengthMax } && Shape().IsMatch(key) && !key.Split('/').Any(segment => segment is "." or "..");

    /// <summary>Throws <see cref="ArgumentException"/> for a key that <see cref="IsValid"/> refuses.</summary>
    public static string Require(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid blob key (segments of [A-Za-z0-9._-] separated by '/').", nameof(key));

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex Shape();
}
