using Npgsql;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Dropping the throw-away databases tests create.</summary>
public static class ScratchDatabases
{
    /// <summary>
    /// DROP DATABASE ... WITH (FORCE), tried again while PostgreSQL refuses with 42501: an autovacuum worker
    /// of the postgres role, which our role may not terminate, can still be in a fresh database; it leaves
    /// within moments.
    /// </summary>
    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.Postgres);
        await admin.OpenAsync();
        await Eventually.Until(async () =>
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return true;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), $"database {name} dropped (an autovacuum worker of another role kept it open)");
    }
}
