using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// This silo's copy of the operators' runtime settings (kill switches and threshold overrides),
/// published by <see cref="PspSettingsRefresher"/>. A PSP without a stored row is on and runs with its
/// configuration: the switch can only take away what configuration allows, and an override replaces
/// one configured value. <see cref="Effective"/> returns the same instance until configuration or the
/// overrides change, so a new instance means "rebuild".
/// </summary>
public sealed class PspRuntimeSettings
{
    /// <summary>
    /// One PSP's stored row; <see cref="Overrides"/> is keyed by wire name (<see cref="Payments.Actors.Psp.PspSettingNames"/>);
    /// <see cref="HealthResets"/> counts the operators' resets of its breaker and health window.
    /// </summary>
    public sealed record Row(bool Enabled, FrozenDictionary<string, double> Overrides, long HealthResets = 0);

    private static readonly Row Default = new(true, FrozenDictionary<string, double>.Empty);

    private readonly ConcurrentDictionary<string, (PspProviderOptions Configured, Row Row, PspProviderOptions Effective)> _effective =
        new(StringComparer.OrdinalIgnoreCase);

    private volatile FrozenDictionary<string, Row> _rows = FrozenDictionary<string, Row>.Empty;

    public bool IsEnabled(string psp) => RowOf(psp).Enabled;

    public IReadOnlyDictionary<string, double> OverridesOf(string psp) => RowOf(psp).Overrides;

    /// <summary>How many times an operator reset the PSP's breaker and health window; a silo resets its own state when this grows.</summary>
    public long HealthResetsOf(string psp) => RowOf(psp).HealthResets;

    /// <summary>Replaces every row at once; a row equal to the one before keeps its effective settings instance.</summary>
    public void Publish(IEnumerable<KeyValuePair<string, Row>> rows)
    {
        var current = _rows;
        _rows = rows
            .Select(r => current.TryGetValue(r.Key, out var old) && SameRow(old, r.Value) ? new KeyValuePair<string, Row>(r.Key, old) : r)
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Configuration with this silo's overrides applied.</summary>
    public PspProviderOptions Effective(string psp, PspProviderOptions configured)
    {
        var row = RowOf(psp);
        if (row.Overrides.Count == 0)
        {
            return configured;
        }

        if (_effective.TryGetValue(psp, out var cached) && ReferenceEquals(cached.Configured, configured) && ReferenceEquals(cached.Row, row))
        {
            return cached.Effective;
        }

        var effective = PspSettingFields.Apply(configured, row.Overrides);
        _effective[psp] = (configured, row, effective);
        return effective;
    }

    private Row RowOf(string psp) => _rows.GetValueOrDefault(psp, Default);

    private static bool SameRow(Row a, Row b) =>
        a.Enabled == b.Enabled && a.HealthResets == b.HealthResets && a.Overrides.Count == b.Overrides.Count
        && a.Overrides.All(o => b.Overrides.TryGetValue(o.Key, out var value) && value.Equals(o.Value));
}
