using System.Text.RegularExpressions;

namespace Payments.Actors.PspSimulator.Options;

/// <summary>The start-up checks of <see cref="WebhookOptions"/>, run by <see cref="ProviderOptionsValidator"/>.</summary>
internal static partial class WebhookOptionsRules
{
    public const int RetryMsMax = 3_600_000;
    public const int MaxAttemptsLimit = 100;
    public const int TimeoutMsMin = 100;
    public const int TimeoutMsMax = 120_000;
    public const int SettleAfterMsMax = 86_400_000;
    public const int StoredMaxLimit = 10_000_000;
    public const int MaxInFlightLimit = 64;

    public static void AddProblems(List<string> failures, string? name, WebhookOptions options)
    {
        var prefix = $"Providers:{name}:Webhooks:";
        if (options.Enabled && !IsHttpUrl(options.Url))
        {
            failures.Add($"{prefix}Url must be an absolute http or https URL.");
        }

        if (options.Enabled && string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add($"{prefix}Secret is required when {prefix}Url is set.");
        }

        AddIfShort(failures, prefix + nameof(options.Secret), options.Secret);
        AddIfShort(failures, prefix + nameof(options.PreviousSecret), options.PreviousSecret);
        if (!string.IsNullOrWhiteSpace(options.PreviousSecret) && string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add($"{prefix}PreviousSecret needs {prefix}Secret.");
        }

        if (!KeyIdShape().IsMatch(options.KeyId))
        {
            failures.Add($"{prefix}KeyId must be 1-64 letters, digits, '.', '_' or '-' (it is written into a header and the ingest's '<key id>:<secret>' entries).");
        }

        AddIfOutOfRange(failures, prefix + nameof(options.RetryBaseMs), options.RetryBaseMs, 1, RetryMsMax);
        AddIfOutOfRange(failures, prefix + nameof(options.RetryMaxMs), options.RetryMaxMs, Math.Max(1, options.RetryBaseMs), RetryMsMax);
        AddIfOutOfRange(failures, prefix + nameof(options.MaxAttempts), options.MaxAttempts, 1, MaxAttemptsLimit);
        AddIfOutOfRange(failures, prefix + nameof(options.TimeoutMs), options.TimeoutMs, TimeoutMsMin, TimeoutMsMax);
        AddIfOutOfRange(failures, prefix + nameof(options.SettleAfterMs), options.SettleAfterMs, 0, SettleAfterMsMax);
        AddIfOutOfRange(failures, prefix + nameof(options.QueueCapacity), options.QueueCapacity, 1, StoredMaxLimit);
        AddIfOutOfRange(failures, prefix + nameof(options.StoredNotificationsMax), options.StoredNotificationsMax, 1, StoredMaxLimit);
        AddIfOutOfRange(failures, prefix + nameof(options.MaxInFlight), options.MaxInFlight, 1, MaxInFlightLimit);
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void AddIfShort(List<string> failures, string setting, string? secret)
    {
        if (!string.IsNullOrWhiteSpace(secret) && secret.Length < WebhookOptions.SecretLengthMin)
        {
            failures.Add($"{setting} must be at least {WebhookOptions.SecretLengthMin} characters.");
        }
    }

    private static void AddIfOutOfRange(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max} (got {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyIdShape();
}
