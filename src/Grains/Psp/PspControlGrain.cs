using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Reads and writes the operators' PSP settings: kill switches, threshold overrides and health resets. Each change and
/// its audit rows (one per field) are one transaction, so the trail can never miss a change that took
/// effect. A change that would leave the effective settings (configuration with overrides) outside the
/// rules checked at start-up is refused and changes nothing. The grain holds no state: the table is
/// the truth, and each silo's <see cref="PspSettingsRefresher"/> applies it.
/// </summary>
public sealed partial class PspControlGrain(
    NpgsqlDataSource dataSource, IOptionsMonitor<PspOptions> options, TimeProvider time, ILogger<PspControlGrain> logger)
    : Grain, IPspControlGrain
{
    /// <summary>Bounds any threshold value before it is converted (the rules then narrow it further).</summary>
    public const double ThresholdMagnitudeMax = 1e9;

    public async Task<IReadOnlyList<PspStatus>> ListAsync()
    {
        var stored = new Dictionary<string, (bool Enabled, DateTimeOffset UpdatedAt, string UpdatedBy, string Overrides)>(StringComparer.OrdinalIgnoreCase);
        await using (var command = dataSource.CreateCommand(
            $"SELECT psp, enabled, updated_at, updated_by, overrides::text FROM psp_settings LIMIT {PspSettingsRefresher.SettingsRowsMax}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4));
            }
        }

        var result = new List<PspStatus>();
        foreach (var (psp, settings) in options.CurrentValue.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var health = await GrainFactory.GetGrain<IPspAdapterGrain>(psp).GetHealthAsync();
            if (stored.TryGetValue(psp, out var row))
            {
                result.Add(new PspStatus(psp, settings.Enabled && row.Enabled, row.UpdatedAt, row.UpdatedBy, health, Overrides(row.Overrides)));
            }
            else
            {
                result.Add(new PspStatus(psp, settings.Enabled, null, null, health, new Dictionary<string, double>()));
            }
        }

        return result;
    }

    public async Task<PspSettingsUpdated> UpdateAsync(UpdatePspSettings command)
    {
        Invariant.Assert(!string.IsNullOrWhiteSpace(command.ChangedBy), "A PSP setting change must name who made it.");
        if (CanonicalName(command.Psp) is not { } psp)
        {
            return new PspSettingsUpdated(null, null, null);
        }

        foreach (var (name, value) in command.Thresholds)
        {
            if (FindValueProblem(name, value) is { } problem)
            {
                return new PspSettingsUpdated(null, name, problem);
            }
        }

        var configured = options.CurrentValue.Providers[psp];
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // Lock the row (creating it with the configured default first) so that concurrent changes
        // serialise and each audit row's old value is the value it actually replaced.
        await using (var seed = new NpgsqlCommand(
            "INSERT INTO psp_settings (psp, enabled, updated_at, updated_by) VALUES ($1, $2, $3, 'configuration') ON CONFLICT (psp) DO NOTHING",
            connection, transaction))
        {
            seed.Parameters.Add(new NpgsqlParameter { Value = psp });
            seed.Parameters.Add(new NpgsqlParameter { Value = configured.Enabled });
            seed.Parameters.Add(new NpgsqlParameter { Value = now });
            await seed.ExecuteNonQueryAsync();
        }

        bool oldEnabled;
        Dictionary<string, double> oldOverrides;
        long oldResets;
        await using (var select = new NpgsqlCommand(
            "SELECT enabled, overrides::text, health_resets FROM psp_settings WHERE psp = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = psp });
            await using var reader = await select.ExecuteReaderAsync();
            await reader.ReadAsync();
            oldEnabled = reader.GetBoolean(0);
            oldOverrides = Overrides(reader.GetString(1));
            oldResets = reader.GetInt64(2);
        }

        var newOverrides = command.ResetThresholds ? new Dictionary<string, double>(StringComparer.Ordinal) : new Dictionary<string, double>(oldOverrides, StringComparer.Ordinal);
        foreach (var (name, value) in command.Thresholds)
        {
            newOverrides[name] = value;
        }

        var oldEffective = PspSettingFields.Apply(configured, oldOverrides);
        var newEffective = PspSettingFields.Apply(configured, newOverrides);
        if (PspResilienceLimits.Check(newEffective).FirstOrDefault() is { Property: not null } invalid)
        {
            await transaction.RollbackAsync();
            var field = PspSettingFields.NameOf(invalid.Property) ?? invalid.Property;
            return new PspSettingsUpdated(null, field, $"{field} {invalid.Problem.Replace("AdapterBudgetTotal", PspSettingNames.AdapterBudgetTotalMs, StringComparison.Ordinal)}");
        }

        var newEnabled = command.Enabled ?? oldEnabled;
        var newResets = command.ResetHealth ? oldResets + 1 : oldResets;
        await using (var update = new NpgsqlCommand(
            "UPDATE psp_settings SET enabled = $2, overrides = $3, updated_at = $4, updated_by = $5, health_resets = $6 WHERE psp = $1", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = psp });
            update.Parameters.Add(new NpgsqlParameter { Value = newEnabled });
            update.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(newOverrides), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            update.Parameters.Add(new NpgsqlParameter { Value = command.ChangedBy });
            update.Parameters.Add(new NpgsqlParameter { Value = newResets });
            await update.ExecuteNonQueryAsync();
        }

        var changes = new List<(string Field, string Old, string New)>();
        if (command.ResetHealth)
        {
            changes.Add((PspSettingNames.HealthReset, oldResets.ToString(CultureInfo.InvariantCulture), newResets.ToString(CultureInfo.InvariantCulture)));
        }

        if (command.Enabled is { } enabled)
        {
            changes.Add((PspSettingNames.Enabled, Wire(oldEnabled), Wire(enabled)));
        }

        if (command.ResetThresholds)
        {
            changes.AddRange(oldOverrides.Keys.Where(k => !command.Thresholds.ContainsKey(k)).Order(StringComparer.Ordinal)
                .Select(k => (k, PspSettingFields.Format(oldOverrides[k]), PspSettingFields.Format(PspSettingFields.Get(configured, k)))));
        }

        changes.AddRange(command.Thresholds.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, PspSettingFields.Format(PspSettingFields.Get(oldEffective, t.Key)), PspSettingFields.Format(t.Value))));
        foreach (var (field, old, @new) in changes)
        {
            await using var audit = new NpgsqlCommand(
                "INSERT INTO psp_settings_audit (psp, field, old_value, new_value, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                connection, transaction);
            audit.Parameters.Add(new NpgsqlParameter { Value = psp });
            audit.Parameters.Add(new NpgsqlParameter { Value = field });
            audit.Parameters.Add(new NpgsqlParameter { Value = old });
            audit.Parameters.Add(new NpgsqlParameter { Value = @new });
            audit.Parameters.Add(new NpgsqlParameter { Value = command.ChangedBy });
            audit.Parameters.Add(new NpgsqlParameter { Value = now });
            await audit.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        foreach (var (field, old, @new) in changes)
        {
            LogChanged(logger, psp, field, old, @new, command.ChangedBy);
        }

        var health = await GrainFactory.GetGrain<IPspAdapterGrain>(psp).GetHealthAsync();
        return new PspSettingsUpdated(new PspStatus(psp, configured.Enabled && newEnabled, now, command.ChangedBy, health, newOverrides), null, null);
    }

    public async Task<IReadOnlyList<PspAuditEntry>?> AuditAsync(string psp, int limit)
    {
        Invariant.Assert(limit is > 0 and <= PspControlLimits.AuditEntriesMax, $"Audit limit {limit} must be between 1 and {PspControlLimits.AuditEntriesMax}.");
        if (CanonicalName(psp) is not { } name)
        {
            return null;
        }

        var entries = new List<PspAuditEntry>();
        await using var command = dataSource.CreateCommand(
            "SELECT id, psp, field, old_value, new_value, changed_by, changed_at FROM psp_settings_audit WHERE psp = $1 ORDER BY id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new PspAuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return entries;
    }

    /// <summary>Why a threshold value can never be right, before the rules that relate settings are checked; null when it may be.</summary>
    public static string? FindValueProblem(string name, double value)
    {
        if (!PspSettingFields.IsKnown(name))
        {
            return $"{name} is not a tunable PSP setting.";
        }

        if (!double.IsFinite(value) || Math.Abs(value) > ThresholdMagnitudeMax)
        {
            return $"{name} must be a finite number no larger than {ThresholdMagnitudeMax:0}.";
        }

        return PspSettingFields.IsIntegral(name) && value != Math.Floor(value) ? $"{name} must be a whole number." : null;
    }

    private static Dictionary<string, double> Overrides(string json) =>
        new(PspSettingsRefresher.ParseOverrides(json), StringComparer.Ordinal);

    /// <summary>The configured spelling of a PSP name, so that stored rows match however the operator typed it.</summary>
    private string? CanonicalName(string psp) =>
        options.CurrentValue.Providers.Keys.FirstOrDefault(k => string.Equals(k, psp, StringComparison.OrdinalIgnoreCase));

    private static string Wire(bool value) => value ? "true" : "false";

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP {Psp} {Field} changed from {Old} to {New} by {ChangedBy}")]
    private static partial void LogChanged(ILogger logger, string psp, string field, string old, string @new, string changedBy);
}
