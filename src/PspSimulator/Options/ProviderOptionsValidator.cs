using Microsoft.Extensions.Options;

namespace Payments.Actors.PspSimulator.Options;

/// <summary>Fails start-up on settings that would make the simulator misbehave quietly.</summary>
internal sealed class ProviderOptionsValidator : IValidateOptions<ProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.HmacSecret) && options.HmacSecret.Length < ProviderOptions.HmacSecretLengthMin)
        {
            failures.Add($"Providers:{name}:HmacSecret must be at least {ProviderOptions.HmacSecretLengthMin} characters.");
        }

        AddIfOutOfRange(failures, name, nameof(options.SlowCardDelayMs), options.SlowCardDelayMs);
        AddIfOutOfRange(failures, name, nameof(options.TimeoutHangMs), options.TimeoutHangMs);
        AddIfOutOfRange(failures, name, nameof(options.PendingDurationMs), options.PendingDurationMs);
        WebhookOptionsRules.AddProblems(failures, name, options.Webhooks);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfOutOfRange(List<string> failures, string? name, string setting, int value)
    {
        if (value is < 0 or > ProviderOptions.DelayMsMax)
        {
            failures.Add($"Providers:{name}:{setting} must be between 0 and {ProviderOptions.DelayMsMax} (got {value}).");
        }
    }
}
