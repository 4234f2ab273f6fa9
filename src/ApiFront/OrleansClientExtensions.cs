using Orleans.Configuration;

namespace Payments.Actors.ApiFront;

public static class OrleansClientExtensions
{
    /// <summary>Joins the cluster the silos announce in PostgreSQL (ADO.NET clustering), as a client.</summary>
    public static IClientBuilder UsePaymentsCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = configuration["Orleans:ClusterId"] ?? "payments";
            options.ServiceId = configuration["Orleans:ServiceId"] ?? "payments-actors";
        });
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = postgres;
        });
        // Trace context follows a request from HTTP into the grains (ServiceDefaults records the spans).
        client.AddActivityPropagation();
        return client;
    }
}
