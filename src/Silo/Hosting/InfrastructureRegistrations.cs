using Microsoft.Extensions.Options;
using Payments.Actors.Infrastructure.Kafka;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.Silo.Hosting;

public static class InfrastructureRegistrations
{
    /// <summary>PostgreSQL (data source, migrations, group commit, maintenance) and Kafka (outbox relay, dead letters).</summary>
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
        return services;
    }
}
