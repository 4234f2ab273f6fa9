using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>A fresh PostgreSQL database with every migration applied by the real <see cref="Migrator"/>, dropped on dispose.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    private readonly string _name = $"pa_scratch_{Guid.NewGuid():N}"[..26];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.Postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = _name }.ConnectionString);
        await new Migrator(DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await ScratchDatabases.DropAsync(_name);
    }
}
