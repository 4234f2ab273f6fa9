using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Polls <c>psp_settings</c> and publishes kill switches, threshold overrides and health resets to this silo's
/// <see cref="PspRuntimeSettings"/>; <see cref="PspResilience"/> rebuilds a PSP's pipeline on its next
/// call when they changed. Polling rather than a broadcast: every silo converges within one interval
/// even if it missed a message or started after the change, and the database stays the one source of truth.
/// </summary>
public sealed partial class PspSettingsRefresher(
    NpgsqlDataSource dataSource, PspRuntimeSettings runtime, IOptionsMonitor<PspOptions> options, TimeProvider time, ILogger<PspSettingsRefresher> logger)
    : BackgroundService
{
    /// <summary>The table holds one row per configured PSP; this bounds a misuse, not the normal case.</summary>
    public const int SettingsRowsMax = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (NpgsqlException exception)
            {
                // Keep the last published settings: a database hiccup must not switch PSPs back on or off.
                LogRefreshFailed(logger, exception);
            }

            try
            {
                await Task.Delay(options.CurrentValue.SettingsRefreshInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var rows = new List<KeyValuePair<string, PspRuntimeSettings.Row>>();
        await using var command = dataSource.CreateCommand($"SELECT psp, enabled, overrides::text, health_resets FROM psp_settings ORDER BY psp LIMIT {SettingsRowsMax}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new(reader.GetString(0), new PspRuntimeSettings.Row(reader.GetBoolean(1), ParseOverrides(reader.GetString(2)), reader.GetInt64(3))));
        }

        runtime.Publish(rows);
    }

    /// <summary>The stored overrides: a JSON object of wire name to number; names this build does not know are ignored.</summary>
    public static FrozenDictionary<string, double> ParseOverrides(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .Where(p => PspSettingFields.IsKnown(p.Name) && p.Value.ValueKind == JsonValueKind.Number)
            .ToFrozenDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the PSP runtime settings failed; the last known settings stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
