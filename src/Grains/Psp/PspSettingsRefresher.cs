using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Payments.Actors.Grains.Psp;

/// <summary>
/// Polls <c>psp_settings</c> and publishes the kill switches to this silo's <see cref="PspKillSwitch"/>.
/// Polling rather than a broadcast: every silo converges within one interval even if it missed a
/// message or started after the change, and the database stays the one source of truth.
/// </summary>
public sealed partial class PspSettingsRefresher(
    NpgsqlDataSource dataSource, PspKillSwitch killSwitch, IOptionsMonitor<PspOptions> options, TimeProvider time, ILogger<PspSettingsRefresher> logger)
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
                // Keep the last published switches: a database hiccup must not switch PSPs back on or off.
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
        var settings = new List<KeyValuePair<string, bool>>();
        await using var command = dataSource.CreateCommand($"SELECT psp, enabled FROM psp_settings ORDER BY psp LIMIT {SettingsRowsMax}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            settings.Add(new(reader.GetString(0), reader.GetBoolean(1)));
        }

        killSwitch.Publish(settings);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the PSP kill switches failed; the last known switches stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
