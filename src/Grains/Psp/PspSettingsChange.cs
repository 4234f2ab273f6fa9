using System.Globalization;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>A PSP's operator settings as stored: kill switch, threshold overrides, how many health resets were asked for.</summary>
public sealed record PspStoredSettings(bool Enabled, Dictionary<string, double> Overrides, long HealthResets);

/// <summary>
/// What an operator's change does to the stored settings, decided without I/O: the new values, one audit row per field
/// that changes, or the field whose new effective value breaks the rules checked at start-up (then nothing changes).
/// </summary>
public sealed record PspSettingsChange(
    bool Enabled,
    Dictionary<string, double> Overrides,
    long HealthResets,
    IReadOnlyList<(string Field, string Old, string New)> Audit,
    (string Field, string Problem)? Invalid)
{
    public static PspSettingsChange Plan(UpdatePspSettings command, PspProviderOptions configured, PspStoredSettings stored)
    {
        var overrides = command.ResetThresholds
            ? new Dictionary<string, double>(StringComparer.Ordinal)
            : new Dictionary<string, double>(stored.Overrides, StringComparer.Ordinal);
        foreach (var (name, value) in command.Thresholds)
        {
            overrides[name] = value;
        }

        var enabled = command.Enabled ?? stored.Enabled;
        var resets = command.ResetHealth ? stored.HealthResets + 1 : stored.HealthResets;
        if (PspResilienceLimits.Check(PspSettingFields.Apply(configured, overrides)).FirstOrDefault() is { Property: not null } invalid)
        {
            var field = PspSettingFields.NameOf(invalid.Property) ?? invalid.Property;
            var problem = $"{field} {invalid.Problem.Replace("AdapterBudgetTotal", PspSettingNames.AdapterBudgetTotalMs, StringComparison.Ordinal)}";
            return new PspSettingsChange(stored.Enabled, stored.Overrides, stored.HealthResets, [], (field, problem));
        }

        return new PspSettingsChange(enabled, overrides, resets, AuditRows(command, configured, stored, resets), null);
    }

    private static List<(string Field, string Old, string New)> AuditRows(UpdatePspSettings command, PspProviderOptions configured,
        PspStoredSettings stored, long resets)
    {
        var rows = new List<(string Field, string Old, string New)>();
        if (command.ResetHealth)
        {
            rows.Add((PspSettingNames.HealthReset, stored.HealthResets.ToString(CultureInfo.InvariantCulture), resets.ToString(CultureInfo.InvariantCulture)));
        }

        if (command.Enabled is { } enabled)
        {
            rows.Add((PspSettingNames.Enabled, Wire(stored.Enabled), Wire(enabled)));
        }

        if (command.ResetThresholds)
        {
            rows.AddRange(stored.Overrides.Keys.Where(k => !command.Thresholds.ContainsKey(k)).Order(StringComparer.Ordinal)
                .Select(k => (k, PspSettingFields.Format(stored.Overrides[k]), PspSettingFields.Format(PspSettingFields.Get(configured, k)))));
        }

        var oldEffective = PspSettingFields.Apply(configured, stored.Overrides);
        rows.AddRange(command.Thresholds.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, PspSettingFields.Format(PspSettingFields.Get(oldEffective, t.Key)), PspSettingFields.Format(t.Value))));
        return rows;
    }

    private static string Wire(bool value) => value ? "true" : "false";
}
