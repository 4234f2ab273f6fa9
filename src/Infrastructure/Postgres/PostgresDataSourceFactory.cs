using Npgsql;

namespace Payments.Actors.Infrastructure.Postgres;

public static class PostgresDataSourceFactory
{
    /// <summary>Prepared statements kept per connection: the hot path's distinct statements, with room to spare.</summary>
    public const int AutoPreparedStatementsMax = 64;

    /// <summary>
    /// The silo's PostgreSQL data source. Unless the connection string says otherwise (<c>Max Auto Prepare</c>), the
    /// statements the hot path repeats are prepared on each pooled connection after their second use, so PostgreSQL
    /// parses and plans them once per connection instead of on every call: parsing is otherwise the largest single part
    /// of PostgreSQL's work per payment.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatementsMax;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        return builder.Build();
    }
}
