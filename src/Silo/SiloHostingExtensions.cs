using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Payments.Actors.Events;
using Payments.Actors.Silo.Hosting;
using Payments.Actors.Streaming.Kafka;
using Payments.Actors.Streaming.Kafka.Hosting;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Silo;

public static class SiloHostingExtensions
{
    /// <summary>The Orleans silo: ADO.NET clustering and reminders on PostgreSQL, the dashboard, and the payment grains.</summary>
    public static WebApplicationBuilder AddPaymentsSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var postgres = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        builder.UseOrleans(silo =>
        {
            // Idle activations are collected in 30 s steps (default 1 min), close to their grains' age limits.
            // Every age limit stays above Orleans' default quantum, so the grains also load in silos without this.
            silo.Configure<GrainCollectionOptions>(options => options.CollectionQuantum = TimeSpan.FromSeconds(30));
            // The directory cache remembers which silo holds a grain, for calls to remote activations. Orleans keeps up to
            // 1M entries, one per activation registered in the last 4 min (137k at 480 payments/s), and the dashboard's
            // meter reader counts them every second by walking the whole cache, a visible share of the silo's CPU.
            // The grains worth caching are few and hot (PSP adapters, ledger shards, wallets); a payment is called
            // a handful of times within seconds of its creation.
            silo.Configure<GrainDirectoryOptions>(options =>
                options.CacheSize = configuration.GetValue("Orleans:DirectoryCacheSize", DirectoryCacheSizeDefault));
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = configuration["Orleans:ClusterId"] ?? "payments";
                options.ServiceId = configuration["Orleans:ServiceId"] ?? "payments-actors";
            });
            silo.ConfigureEndpoints(
                IPAddress.Parse(configuration["Orleans:AdvertisedIP"] ?? "127.0.0.1"),
                configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT),
                listenOnAnyHostAddress: false);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = postgres;
            });
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = postgres;
            });
            if (DashboardEnabled(configuration))
            {
                silo.AddDashboard();
            }

            // Trace context follows a request from HTTP through grain calls (ServiceDefaults records the spans).
            silo.AddActivityPropagation();
            silo.Services.AddPaymentsInfrastructure(configuration);
            silo.AddPaymentsGrains(configuration);
            // Kafka into grains: implicit subscribers of a topic's namespace receive KafkaRecord.
            // Implicit subscriptions only, so no PubSubStore: none of its state exists (if explicit subscriptions are
            // ever added, memory grain storage named "PubSubStore" is acceptable, implicit ones never touch it).
            silo.AddKafkaStreams(KafkaStreams.ProviderName, options => BindKafka(configuration, options));
        });
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
        return builder;
    }

    /// <summary><c>Orleans:DirectoryCacheSize</c>: entries in the grain directory cache (Orleans' default is 1,000,000).</summary>
    public const int DirectoryCacheSizeDefault = 20_000;

    /// <summary>
    /// <c>Orleans:Dashboard</c> (default true). The dashboard runs its own meter provider over every Orleans instrument
    /// (so each measurement is aggregated twice) and collects it every second, including a walk over all activations.
    /// On a small node that costs a large share of the throughput (BENCHMARKS.md has the figures).
    /// Run it on one silo, or a small dashboard-only silo, rather than on every hot silo.
    /// </summary>
    public static bool DashboardEnabled(IConfiguration configuration) => configuration.GetValue("Orleans:Dashboard", true);

    /// <summary>Section <c>Kafka</c>: BootstrapServers (required), ConsumerGroupId, Topics (default payments.events, wallets.events, webhooks.in), and the other <see cref="KafkaStreamOptions"/>.</summary>
    private static void BindKafka(IConfiguration configuration, KafkaStreamOptions options)
    {
        // The only consumer, the ledger feed, takes a partition's records in batches (one activation per partition).
        options.StreamKey = KafkaStreamKey.Partition;
        configuration.GetSection("Kafka").Bind(options);
        if (options.Topics.Count == 0)
        {
            options.Topics.AddRange([EventTopics.PaymentsEvents, EventTopics.WalletsEvents, EventTopics.WebhooksIn]);
        }
    }
}

/// <summary>Ready means the database answers: nothing can be acknowledged without it.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException exception)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable.", exception);
        }
    }
}
