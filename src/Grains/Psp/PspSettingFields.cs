using System.Globalization;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Maps the wire names of the tunable thresholds (<see cref="PspSettingNames"/>) onto
/// <see cref="PspProviderOptions"/>: reading the effective value, applying an operator's override to a
/// copy of the configured settings, and naming the field a validation problem is about.
/// </summary>
public static class PspSettingFields
{
    private sealed record Field(string Property, Func<PspProviderOptions, double> Get, Action<PspProviderOptions, double> Set, bool Integral);

    private static readonly Dictionary<string, Field> Fields = new(StringComparer.Ordinal)
    {
        [PspSettingNames.RoutingPriority] = Count(nameof(PspProviderOptions.RoutingPriority), s => s.RoutingPriority, (s, v) => s.RoutingPriority = v),
        [PspSettingNames.ConnectTimeoutMs] = Duration(nameof(PspProviderOptions.ConnectTimeout), s => s.ConnectTimeout, (s, v) => s.ConnectTimeout = v),
        [PspSettingNames.RequestTimeoutMs] = Duration(nameof(PspProviderOptions.RequestTimeout), s => s.RequestTimeout, (s, v) => s.RequestTimeout = v),
        [PspSettingNames.AdapterBudgetTotalMs] = Duration(nameof(PspProviderOptions.AdapterBudgetTotal), s => s.AdapterBudgetTotal, (s, v) => s.AdapterBudgetTotal = v),
        [PspSettingNames.RetryAttemptsMax] = Count(nameof(PspProviderOptions.RetryAttemptsMax), s => s.RetryAttemptsMax, (s, v) => s.RetryAttemptsMax = v),
        [PspSettingNames.BreakerFailureRatio] = new(nameof(PspProviderOptions.BreakerFailureRatio), s => s.BreakerFailureRatio, (s, v) => s.BreakerFailureRatio = v, Integral: false),
        [PspSettingNames.BreakerThroughputMin] = Count(nameof(PspProviderOptions.BreakerThroughputMin), s => s.BreakerThroughputMin, (s, v) => s.BreakerThroughputMin = v),
        [PspSettingNames.BreakerSamplingDurationMs] = Duration(nameof(PspProviderOptions.BreakerSamplingDuration), s => s.BreakerSamplingDuration, (s, v) => s.BreakerSamplingDuration = v),
        [PspSettingNames.BreakerConsecutiveFailures] = Count(nameof(PspProviderOptions.BreakerConsecutiveFailures), s => s.BreakerConsecutiveFailures, (s, v) => s.BreakerConsecutiveFailures = v),
        [PspSettingNames.BreakDurationMs] = Duration(nameof(PspProviderOptions.BreakDuration), s => s.BreakDuration, (s, v) => s.BreakDuration = v),
        [PspSettingNames.BulkheadConcurrencyMax] = Count(nameof(PspProviderOptions.BulkheadConcurrencyMax), s => s.BulkheadConcurrencyMax, (s, v) => s.BulkheadConcurrencyMax = v),
        [PspSettingNames.BulkheadQueueMax] = Count(nameof(PspProviderOptions.BulkheadQueueMax), s => s.BulkheadQueueMax, (s, v) => s.BulkheadQueueMax = v),
    };

    private static readonly Dictionary<string, string> NameOfProperty = Fields.ToDictionary(f => f.Value.Property, f => f.Key, StringComparer.Ordinal);

    public static bool IsKnown(string name) => Fields.ContainsKey(name);

    /// <summary>Whether the setting takes whole numbers only (counts and milliseconds).</summary>
    public static bool IsIntegral(string name) => Fields[name].Integral;

    public static double Get(PspProviderOptions settings, string name) => Fields[name].Get(settings);

    /// <summary>The wire name of an options property (<c>RequestTimeout</c> → <c>request_timeout_ms</c>), or null when it is not tunable.</summary>
    public static string? NameOf(string property) => NameOfProperty.GetValueOrDefault(property);

    /// <summary>Every threshold's effective value, keyed by wire name.</summary>
    public static Dictionary<string, double> Snapshot(PspProviderOptions settings) =>
        PspSettingNames.Thresholds.ToDictionary(name => name, name => Get(settings, name), StringComparer.Ordinal);

    /// <summary>A copy of <paramref name="configured"/> with <paramref name="overrides"/> applied; unknown names are ignored.</summary>
    public static PspProviderOptions Apply(PspProviderOptions configured, IEnumerable<KeyValuePair<string, double>> overrides)
    {
        var effective = configured.Clone();
        foreach (var (name, value) in overrides)
        {
            if (Fields.TryGetValue(name, out var field))
            {
                field.Set(effective, value);
            }
        }

        return effective;
    }

    /// <summary>How a value is written to the audit trail: milliseconds and counts as integers, ratios as given.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static Field Count(string property, Func<PspProviderOptions, int> get, Action<PspProviderOptions, int> set) =>
        new(property, s => get(s), (s, v) => set(s, checked((int)v)), Integral: true);

    private static Field Duration(string property, Func<PspProviderOptions, TimeSpan> get, Action<PspProviderOptions, TimeSpan> set) =>
        new(property, s => get(s).TotalMilliseconds, (s, v) => set(s, TimeSpan.FromMilliseconds(v)), Integral: true);
}
