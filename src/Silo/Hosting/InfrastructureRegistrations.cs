using Microsoft.Extensions.Options;
using Payments.Actors.Infrastructure.Blobs;
using Payments.Actors.Infrastructure.Kafka;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Silo.Hosting;

public static class InfrastructureRegistrations
{
    /// <summary>PostgreSQL (data source, migrations, group commit, maintenance), Kafka (outbox relay, dead letters) and the blob store.</summary>
    public static IServiceCollection AddPaymentsInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        services.AddSingleton(_ => PostgresDataSourceFactory.Create(postgres));
        services.AddSingleton<Migrator>();
        services.AddOptions<GroupCommitOptions>().Bind(configuration.GetSection(GroupCommitOptions.SectionName));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddHostedService<StorageMaintenance>();

        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddOptions<KafkaProducerSettings>().Bind(configuration.GetSection(KafkaProducerSettings.SectionName));
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddSingleton<BrokerLossSignal>();
        services.AddSingleton<DeadLetterQueue>();

        // Raw payloads (webhook bodies): files under the data directory, or S3 when Blobs:S3:Endpoint is set.
        services.AddOptions<BlobOptions>().Bind(configuration.GetSection(BlobOptions.SectionName));
        services.AddSingleton(sp => BlobStores.Create(sp.GetRequiredService<IOptions<BlobOptions>>().Value, configuration["Platform:DataDirectory"]));
        return services;
    }
}
