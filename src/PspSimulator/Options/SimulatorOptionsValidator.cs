using Microsoft.Extensions.Options;

namespace Payments.Actors.PspSimulator.Options;

/// <summary>Fails start-up on limits that are missing or absurd.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (options.StoredRequestsMax is < 1 or > SimulatorOptions.StoredMaxLimit)
        {
            failures.Add($"Simulator:StoredRequestsMax must be between 1 and {SimulatorOptions.StoredMaxLimit} (got {options.StoredRequestsMax}).");
        }

        if (options.StoredChargesMax is < 1 or > SimulatorOptions.StoredMaxLimit)
        {
            failures.Add($"Simulator:StoredChargesMax must be between 1 and {SimulatorOptions.StoredMaxLimit} (got {options.StoredChargesMax}).");
        }

        if (options.SignatureToleranceSeconds is < 1 or > SimulatorOptions.SignatureToleranceSecondsMax)
        {
            failures.Add($"Simulator:SignatureToleranceSeconds must be between 1 and {SimulatorOptions.SignatureToleranceSecondsMax} (got {options.SignatureToleranceSeconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
