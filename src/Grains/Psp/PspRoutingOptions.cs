namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Rule-based PSP selection (section <c>Psp:Routing</c>). The first rule that matches a payment gives
/// its PSP order; otherwise <see cref="Order"/>. Live health then moves unhealthy PSPs to the back.
/// </summary>
public sealed class PspRoutingOptions
{
    public const int RulesMax = 256;
    public static readonly IReadOnlyList<string> OrderDefault = ["psp-a", "psp-b"];

    /// <summary>Default preference; null means <see cref="OrderDefault"/>. (An array, so binding replaces rather than appends.)</summary>
    public string[]? Order { get; set; }

    public List<PspRoutingRule> Rules { get; set; } = [];

    public IReadOnlyList<string> EffectiveOrder => Order is { Length: > 0 } order ? order : OrderDefault;

    public IEnumerable<string> Check(IEnumerable<string> configured)
    {
        var known = new HashSet<string>(configured, StringComparer.OrdinalIgnoreCase);
        if (Rules.Count > RulesMax)
        {
            yield return $"Psp:Routing:Rules takes at most {RulesMax} rules.";
        }

        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.Psps is not { Length: > 0 })
            {
                yield return $"Psp:Routing:Rules:{i}:Psps must name at least one PSP.";
            }
            else if (rule.Psps.FirstOrDefault(p => !known.Contains(p)) is { } unknown)
            {
                yield return $"Psp:Routing:Rules:{i}:Psps names '{unknown}', which is not configured under Psp:Providers.";
            }

            if (rule.AmountMinorMin is < 0 || rule.AmountMinorMax is < 0 || rule.AmountMinorMin > rule.AmountMinorMax)
            {
                yield return $"Psp:Routing:Rules:{i}: the amount range is invalid.";
            }
        }
    }
}

/// <summary>One routing rule: every condition that is set must hold.</summary>
public sealed class PspRoutingRule
{
    public string? MerchantId { get; set; }

    public string? Currency { get; set; }

    public long? AmountMinorMin { get; set; }

    public long? AmountMinorMax { get; set; }

    public string[]? Psps { get; set; }

    public bool Matches(string merchantId, string currency, long amountMinor) =>
        (MerchantId is null || string.Equals(MerchantId, merchantId, StringComparison.Ordinal))
        && (Currency is null || string.Equals(Currency, currency, StringComparison.OrdinalIgnoreCase))
        && (AmountMinorMin is null || amountMinor >= AmountMinorMin)
        && (AmountMinorMax is null || amountMinor <= AmountMinorMax);
}
