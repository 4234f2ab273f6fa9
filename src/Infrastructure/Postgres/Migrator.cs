using System.Security.Cryptography;
using DbUp;
using DbUp.Engine;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

/// <summary>
/// The schema's migrations, through DbUp: the embedded, numbered scripts under Postgres/Migrations run in order, each
/// in its own transaction, once (journal table <c>schemaversions</c>). On top of DbUp: an advisory lock so that
/// several silos starting together migrate once, the SHA-256 of every applied script (<c>schema_checksums</c>) so an
/// edited migration stops start-up instead of silently differing between environments, and <see cref="StatusAsync"/>.
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long AdvisoryLockId = 0x5041_4D49_4752; // "PAMIGR"
    private const string ResourcePrefix = "Migrations.";

    /// <summary>Every migration this build carries, in the order they run: (script name, SQL).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Migrations { get; } = LoadMigrations();

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken, AdvisoryLockId);
        try
        {
            await AdoptLegacyJournalAsync(connection, cancellationToken);
            var result = Engine().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }

            foreach (var script in result.Scripts)
            {
                LogApplied(logger, script.Name);
            }

            await RecordChecksumsAsync(connection, cancellationToken);
            if ((await StatusAsync(cancellationToken)).Edited is { Count: > 0 } edited)
            {
                throw new InvalidOperationException(
                    $"Applied migrations were edited since they ran: {string.Join(", ", edited)}. Add a new migration instead.");
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, AdvisoryLockId);
        }
    }

    /// <summary>Which migrations ran, which are pending, and which ran with different SQL than this build carries.</summary>
    public async Task<MigrationStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var engine = Engine();
        var applied = engine.GetExecutedScripts();
        var pending = engine.GetScriptsToExecute().Select(s => s.Name).ToList();
        var edited = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ExistsAsync(connection, "schema_checksums", cancellationToken))
        {
            await using var command = new NpgsqlCommand("SELECT script_name, sha256 FROM schema_checksums", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ours = Migrations.ToDictionary(m => m.Name, m => Checksum(m.Sql), StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (ours.TryGetValue(reader.GetString(0), out var sha) && sha != reader.GetString(1))
                {
                    edited.Add(reader.GetString(0));
                }
            }
        }

        return new MigrationStatus(applied, pending, edited);
    }

    private UpgradeEngine Engine() =>
        DeployChanges.To
            .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
            .WithScripts(Migrations.Select(m => new SqlScript(m.Name, m.Sql)))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("public", "schemaversions")
            .LogToNowhere()
            .Build();

    /// <summary>
    /// Databases migrated before DbUp kept their journal in <c>schema_migrations</c> (one row per version); copying it
    /// into DbUp's journal once keeps DbUp from running those scripts again.
    /// </summary>
    private static async Task AdoptLegacyJournalAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(connection, "schema_migrations", cancellationToken) || await ExistsAsync(connection, "schemaversions", cancellationToken))
        {
            return;
        }

        await ExecuteAsync(connection, """
            CREATE TABLE schemaversions (schemaversionsid serial NOT NULL CONSTRAINT pk_schemaversions_id PRIMARY KEY,
                                         scriptname character varying(255) NOT NULL, applied timestamp without time zone NOT NULL);
            INSERT INTO schemaversions (scriptname, applied)
            SELECT 'Migrations.' || version || '.sql', applied_at AT TIME ZONE 'UTC' FROM schema_migrations ORDER BY version;
            """, cancellationToken);
    }

    private static async Task RecordChecksumsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection,
            "CREATE TABLE IF NOT EXISTS schema_checksums (script_name text PRIMARY KEY, sha256 text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        foreach (var (name, sql) in Migrations)
        {
            await ExecuteAsync(connection,
                "INSERT INTO schema_checksums (script_name, sha256) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM schemaversions WHERE scriptname = $1) ON CONFLICT DO NOTHING",
                cancellationToken, name, Checksum(sql));
        }
    }

    private static string Checksum(string sql) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql)));

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = "public." + table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string, string)> LoadMigrations()
    {
        var assembly = typeof(Migrator).Assembly;
        var result = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            result.Add((name, reader.ReadToEnd()));
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}

/// <summary>What <see cref="Migrator.StatusAsync"/> found: script names applied, pending, and applied but since edited.</summary>
public sealed record MigrationStatus(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending, IReadOnlyList<string> Edited);
