using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Psp;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Reads and writes the operators' PSP settings. Each change and its audit row are one transaction,
/// so the trail can never miss a change that took effect. The grain holds no state: the table is
/// the truth, and each silo's <see cref="PspSettingsRefresher"/> applies it.
/// </summary>
public sealed partial class PspControlGrain(
    NpgsqlDataSource dataSource, IOptionsMonitor<PspOptions> options, TimeProvider time, ILogger<PspControlGrain> logger)
    : Grain, IPspControlGrain
{
    public const string EnabledField = "enabled";

    public async Task<IReadOnlyList<PspStatus>> ListAsync()
    {
        var stored = new Dictionary<string, (bool Enabled, DateTimeOffset UpdatedAt, string UpdatedBy)>(StringComparer.OrdinalIgnoreCase);
        await using (var command = dataSource.CreateCommand($"SELECT psp, enabled, updated_at, updated_by FROM psp_settings LIMIT {PspSettingsRefresher.SettingsRowsMax}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3));
            }
        }

        var result = new List<PspStatus>();
        foreach (var (psp, settings) in options.CurrentValue.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var health = await GrainFactory.GetGrain<IPspAdapterGrain>(psp).GetHealthAsync();
            var row = stored.TryGetValue(psp, out var found) ? found : ((bool, DateTimeOffset, string)?)null;
            result.Add(new PspStatus(psp, settings.Enabled && (row?.Item1 ?? true), row?.Item2, row?.Item3, health));
        }

        return result;
    }

    public async Task<PspStatus?> SetEnabledAsync(SetPspEnabled command)
    {
        Invariant.Assert(!string.IsNullOrWhiteSpace(command.ChangedBy), "A PSP setting change must name who made it.");
        if (CanonicalName(command.Psp) is not { } psp)
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // Lock the row (creating it with the configured default first) so that concurrent changes
        // serialise and each audit row's old value is the value it actually replaced.
        var configured = options.CurrentValue.Providers[psp].Enabled;
        await using (var seed = new NpgsqlCommand(
            "INSERT INTO psp_settings (psp, enabled, updated_at, updated_by) VALUES ($1, $2, $3, 'configuration') ON CONFLICT (psp) DO NOTHING",
            connection, transaction))
        {
            seed.Parameters.Add(new NpgsqlParameter { Value = psp });
            seed.Parameters.Add(new NpgsqlParameter { Value = configured });
            seed.Parameters.Add(new NpgsqlParameter { Value = now });
            await seed.ExecuteNonQueryAsync();
        }

        bool old;
        await using (var select = new NpgsqlCommand("SELECT enabled FROM psp_settings WHERE psp = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = psp });
            old = (bool)(await select.ExecuteScalarAsync())!;
        }

        await using (var update = new NpgsqlCommand(
            "UPDATE psp_settings SET enabled = $2, updated_at = $3, updated_by = $4 WHERE psp = $1", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = psp });
            update.Parameters.Add(new NpgsqlParameter { Value = command.Enabled });
            update.Parameters.Add(new NpgsqlParameter { Value = now });
            update.Parameters.Add(new NpgsqlParameter { Value = command.ChangedBy });
            await update.ExecuteNonQueryAsync();
        }

        await using (var audit = new NpgsqlCommand(
            "INSERT INTO psp_settings_audit (psp, field, old_value, new_value, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
            connection, transaction))
        {
            audit.Parameters.Add(new NpgsqlParameter { Value = psp });
            audit.Parameters.Add(new NpgsqlParameter { Value = EnabledField });
            audit.Parameters.Add(new NpgsqlParameter { Value = Wire(old) });
            audit.Parameters.Add(new NpgsqlParameter { Value = Wire(command.Enabled) });
            audit.Parameters.Add(new NpgsqlParameter { Value = command.ChangedBy });
            audit.Parameters.Add(new NpgsqlParameter { Value = now });
            await audit.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        LogChanged(logger, psp, old, command.Enabled, command.ChangedBy);

        var health = await GrainFactory.GetGrain<IPspAdapterGrain>(psp).GetHealthAsync();
        return new PspStatus(psp, configured && command.Enabled, now, command.ChangedBy, health);
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

    /// <summary>The configured spelling of a PSP name, so that stored rows match however the operator typed it.</summary>
    private string? CanonicalName(string psp) =>
        options.CurrentValue.Providers.Keys.FirstOrDefault(k => string.Equals(k, psp, StringComparison.OrdinalIgnoreCase));

    private static string Wire(bool value) => value ? "true" : "false";

    [LoggerMessage(Level = LogLevel.Warning, Message = "PSP {Psp} enabled changed from {Old} to {New} by {ChangedBy}")]
    private static partial void LogChanged(ILogger logger, string psp, bool old, bool @new, string changedBy);
}
