using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.Ledger;

/// <summary>The ledger's completeness check (<see cref="LedgerCompletenessMonitor"/>): section <c>Ledger</c>.</summary>
public sealed class LedgerCompletenessOptions
{
    public const string SectionName = "Ledger";

    /// <summary>How often a silo checks that the money events published since the watermark were booked.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a published money event may stay unbooked before it is re-published: longer than the ledger feed's
    /// normal lag, so a busy feed is not sent duplicates. Each further re-drive of the same event waits twice as long.
    /// </summary>
    public TimeSpan RedriveAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Re-drives of one event; past this it stays a gap for an operator (verify, alert), never re-sent forever.</summary>
    public int RedrivesMax { get; set; } = 10;

    /// <summary>Money events one check reads past the watermark.</summary>
    public int ScanEventsMax { get; set; } = 5_000;

    /// <summary>Verify leaves out what changed more recently than this: its postings may be on their way.</summary>
    public TimeSpan VerifySettle { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often each silo runs the whole verify (balance, completeness, hash chains) and publishes the outcome as a
    /// metric for the alert. It reads the whole journal, so not often; the incremental check covers the recent part.
    /// </summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class LedgerCompletenessOptionsValidator : IValidateOptions<LedgerCompletenessOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerCompletenessOptions options)
    {
        var failures = new List<string>();
        if (options.CheckInterval < TimeSpan.FromMilliseconds(100) || options.CheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Ledger:CheckInterval must be between 100 ms and 1 hour.");
        }

        if (options.RedriveAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add("Ledger:RedriveAfter must be at least 1 s.");
        }

        if (options.RedrivesMax is < 1 or > 100)
        {
            failures.Add("Ledger:RedrivesMax must be between 1 and 100.");
        }

        if (options.ScanEventsMax is < 1 or > 100_000)
        {
            failures.Add("Ledger:ScanEventsMax must be between 1 and 100000.");
        }

        if (options.VerifySettle < TimeSpan.Zero)
        {
            failures.Add("Ledger:VerifySettle must not be negative.");
        }

        if (options.VerifyInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Ledger:VerifyInterval must be at least 1 s.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
