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
        var stored = await LockSettingsAsync(connection, transaction, psp, configured.Enabled, now);
        var change = PspSettingsChange.Plan(command, configured, stored);
        if (change.Invalid is { } invalid)
        {
            await transaction.RollbackAsync();
            return new PspSettingsUpdated(null, invalid.Field, invalid.Problem);
        }

        await WriteAsync(connection, transaction, psp, command.ChangedBy, change, now);
        await transaction.CommitAsync();
        foreach (var (field, old, @new) in change.Audit)
        {
            LogChanged(logger, psp, field, old, @new, command.ChangedBy);
        }

        var health = await GrainFactory.GetGrain<IPspAdapterGrain>(psp).GetHealthAsync();
        return new PspSettingsUpdated(
            new PspStatus(psp, configured.Enabled && change.Enabled, now, command.ChangedBy, health, change.Overrides), null, null);
    }

    /// <summary>
    /// Locks the PSP's row, creating it with the configured default first, so that concurrent changes serialise and
    /// each audit row's old value is the value it actually replaced.
    /// </summary>
    private static async Task<PspStoredSettings> LockSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string psp,
        bool configuredEnabled, DateTimeOffset now)
    {
        await using (var seed = new NpgsqlCommand(
            "INSERT INTO psp_settings (psp, enabled, updated_at, updated_by) VALUES ($1, $2, $3, 'configuration') ON CONFLICT (psp) DO NOTHING",
            connection, transaction))
        {
            seed.Parameters.Add(new NpgsqlParameter { Value = psp });
            seed.Parameters.Add(new NpgsqlParameter { Value = configuredEnabled });
            seed.Parameters.Add(new NpgsqlParameter { Value = now });
            await seed.ExecuteNonQueryAsync();
        }

        await using var select = new NpgsqlCommand(
            "SELECT enabled, overrides::text, health_resets FROM psp_settings WHERE psp = $1 FOR UPDATE", connection, transaction);
        select.Parameters.Add(new NpgsqlParameter { Value = psp });
        await using var reader = await select.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PspStoredSettings(reader.GetBoolean(0), Overrides(reader.GetString(1)), reader.GetInt64(2));
    }

    /// <summary>The new settings and one audit row per changed field, in the caller's transaction.</summary>
    private static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string psp, string changedBy,
        PspSettingsChange change, DateTimeOffset now)
    {
        await using (var update = new NpgsqlCommand(
            "UPDATE psp_settings SET enabled = $2, overrides = $3, updated_at = $4, updated_by = $5, health_resets = $6 WHERE psp = $1", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = psp });
            update.Parameters.Add(new NpgsqlParameter { Value = change.Enabled });
            update.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(change.Overrides), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            update.Parameters.Add(new NpgsqlParameter { Value = changedBy });
            update.Parameters.Add(new NpgsqlParameter { Value = change.HealthResets });
            await update.ExecuteNonQueryAsync();
        }

        foreach (var (field, old, @new) in change.Audit)
        {
            await using var audit = new NpgsqlCommand(
                "INSERT INTO psp_settings_audit (psp, field, old_value, new_value, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                connection, transaction);
            audit.Parameters.Add(new NpgsqlParameter { Value = psp });
            audit.Parameters.Add(new NpgsqlParameter { Value = field });
            audit.Parameters.Add(new NpgsqlParameter { Value = old });
            audit.Parameters.Add(new NpgsqlParameter { Value = @new });
            audit.Parameters.Add(new NpgsqlParameter { Value = changedBy });
            audit.Parameters.Add(new NpgsqlParameter { Value = now });
            await audit.ExecuteNonQueryAsync();
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP {Psp} {Field} changed from {Old} to {New} by {ChangedBy}")]
    private static partial void LogChanged(ILogger logger, string psp, string field, string old, string @new, string changedBy);
}
