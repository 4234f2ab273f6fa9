using Microsoft.Extensions.Options;

namespace Payments.Actors.Grains.Options;

/// <summary>Limits and timings of the payment grid. Every limit has a name ending in its qualifier.</summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "Payments";

    public const long AmountMinorMaxDefault = 100_000_000_000;
    public const int OperationsPerPaymentMaxDefault = 100;
    public const int RefundsPerPaymentMaxDefault = 50;

    /// <summary>The largest amount, in minor units, that one payment may carry.</summary>
    public long AmountMinorMax { get; set; } = AmountMinorMaxDefault;

    /// <summary>Idempotency records live this long (seed: 48-72 h).</summary>
    public TimeSpan IdempotencyKeyTtl { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Bounds the idempotency records and refunds one payment grain holds.</summary>
    public int OperationsPerPaymentMax { get; set; } = OperationsPerPaymentMaxDefault;

    public int RefundsPerPaymentMax { get; set; } = RefundsPerPaymentMaxDefault;

    /// <summary>The PSP used when routing has nothing better to say.</summary>
    public string DefaultPsp { get; set; } = "psp-a";

    /// <summary>
    /// A PSP that has no record of a request this long after we sent it never executed it. Shorter
    /// would race a request still in flight; it must exceed the adapter's whole retry budget.
    /// </summary>
    public TimeSpan PspNotFoundGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First and largest delay between status inquiries for a pending PSP outcome.</summary>
    public TimeSpan PendingInquiryDelayMin { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan PendingInquiryDelayMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the sweeper looks for payments whose pending operation nobody is resolving (after a crash).</summary>
    public TimeSpan PendingSweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A payment still waiting for its PSP's answer this long after asking is overdue: inquiries back off to
    /// <see cref="PendingInquiryDelayMax"/>, so several have failed to settle it (alert <c>PaymentsPendingOverdue</c>).
    /// </summary>
    public TimeSpan PendingOverdueAfter { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class PaymentsOptionsValidator : IValidateOptions<PaymentsOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentsOptions options)
    {
        var failures = new List<string>();
        if (options.AmountMinorMax <= 0)
        {
            failures.Add("Payments:AmountMinorMax must be positive.");
        }

        if (options.IdempotencyKeyTtl < TimeSpan.FromHours(1))
        {
            failures.Add("Payments:IdempotencyKeyTtl must be at least one hour.");
        }

        if (options.OperationsPerPaymentMax is < 2 or > 10_000)
        {
            failures.Add("Payments:OperationsPerPaymentMax must be between 2 and 10000.");
        }

        if (options.RefundsPerPaymentMax is < 1 or > 1_000)
        {
            failures.Add("Payments:RefundsPerPaymentMax must be between 1 and 1000.");
        }

        if (string.IsNullOrWhiteSpace(options.DefaultPsp))
        {
            failures.Add("Payments:DefaultPsp is required.");
        }

        if (options.PendingInquiryDelayMin <= TimeSpan.Zero || options.PendingInquiryDelayMax < options.PendingInquiryDelayMin)
        {
            failures.Add("Payments:PendingInquiryDelayMin must be positive and not above PendingInquiryDelayMax.");
        }

        if (options.PendingOverdueAfter < options.PendingInquiryDelayMax)
        {
            failures.Add("Payments:PendingOverdueAfter must be at least Payments:PendingInquiryDelayMax.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
