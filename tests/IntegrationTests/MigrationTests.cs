using Microsoft.Extensions.Logging.Abstractions;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.IntegrationTests;

/// <summary>The schema's migrations through DbUp: once, in order, with their checksums, and a journal kept from before DbUp.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly MigratedDatabase _database = new();

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private Migrator Migrator => new(_database.DataSource, NullLogger<Migrator>.Instance);

    [Fact]
    public async Task AMigratedDatabaseHasEveryScriptAppliedOnceAndNothingPending()
    {
        await Migrator.MigrateAsync(CancellationToken.None);
        var status = await Migrator.StatusAsync(CancellationToken.None);

        Assert.Equal(Migrator.Migrations.Select(m => m.Name), status.Applied);
        Assert.Empty(status.Pending);
        Assert.Empty(status.Edited);
        Assert.Equal(Migrator.Migrations.Count, await _database.ScalarAsync("SELECT count(*) FROM schema_checksums"));
    }

    [Fact]
    public async Task AMigrationEditedAfterItRanStopsTheNextStart()
    {
        var edited = Migrator.Migrations[3].Name;
        await _database.ExecuteAsync($"UPDATE schema_checksums SET sha256 = 'not-the-script' WHERE script_name = '{edited}'");

        var status = await Migrator.StatusAsync(CancellationToken.None);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator.MigrateAsync(CancellationToken.None));

        Assert.Equal([edited], status.Edited);
        Assert.Contains(edited, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseMigratedBeforeDbUpKeepsItsSchemaAndRunsNothingAgain()
    {
        // The journal as the earlier migrator kept it: one row per version, no DbUp table.
        await _database.ExecuteAsync("""
            DROP TABLE schemaversions;
            DROP TABLE schema_checksums;
            CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """);
        foreach (var (name, _) in Migrator.Migrations)
        {
            await _database.ExecuteAsync($"INSERT INTO schema_migrations (version) VALUES ('{name["Migrations.".Length..^".sql".Length]}')");
        }

        var payments = await _database.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'payments'");
        await Migrator.MigrateAsync(CancellationToken.None);
        var status = await Migrator.StatusAsync(CancellationToken.None);

        Assert.Equal(1, payments);
        Assert.Empty(status.Pending);
        Assert.Equal(Migrator.Migrations.Count, status.Applied.Count);
    }
}
