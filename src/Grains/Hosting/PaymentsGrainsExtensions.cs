using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Actors.Grains.Bank;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Events;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Outbox;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Grains.Storage;
using Payments.Actors.Grains.Wallets;

namespace Payments.Actors.Grains.Hosting;

public static class PaymentsGrainsExtensions
{
    /// <summary>Registers the payment grains' services: storage, group commit, PSP connectors, maintenance.</summary>
    public static ISiloBuilder AddPaymentsGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<PaymentsOptions>().Bind(configuration.GetSection(PaymentsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, PaymentsOptionsValidator>();
        services.AddOptions<GroupCommitOptions>().Bind(configuration.GetSection(GroupCommitOptions.SectionName));
        services.AddOptions<PspOptions>().Bind(configuration.GetSection(PspOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PspOptions>, PspOptionsValidator>();
        services.AddOptions<WalletsOptions>().Bind(configuration.GetSection(WalletsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WalletsOptions>, WalletsOptionsValidator>();

        var postgres = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
        services.AddSingleton(_ => PostgresDataSource(postgres));
        services.AddSingleton<Migrator>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<PaymentStore>();
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<WalletStore>();
        services.AddHostedService<PendingPaymentSweeper>();
        services.AddHostedService<StorageMaintenance>();

        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        services.AddOptions<KafkaProducerSettings>().Bind(configuration.GetSection(KafkaProducerSettings.SectionName));
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddSingleton<BrokerLossSignal>();
        services.AddOptions<LedgerCompletenessOptions>().Bind(configuration.GetSection(LedgerCompletenessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerCompletenessOptions>, LedgerCompletenessOptionsValidator>();
        services.AddSingleton<LedgerCompletenessMetrics>();
        services.AddSingleton<LedgerCompletenessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerCompletenessMonitor>());
        services.AddSingleton<DeadLetterQueue>();
        services.AddSingleton<LedgerFeedMetrics>();

        services.AddSingleton<PspRuntimeSettings>();
        services.AddHostedService<PspSettingsRefresher>();
        services.AddSingleton<PspResilience>();
        services.AddSingleton<PspRouter>();
        foreach (var provider in new[] { PspAConnector.ProviderName, PspBConnector.ProviderName, BankConnector.ProviderName })
        {
            AddPspHttpClient(services, provider);
        }

        services.AddSingleton<IPspConnector, PspAConnector>();
        services.AddSingleton<IPspConnector, PspBConnector>();
        services.AddSingleton<BankConnector>();
        return silo;
    }

    private static void AddPspHttpClient(IServiceCollection services, string provider) =>
        services.AddHttpClient(provider)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<PspOptions>>().Value.Providers.GetValueOrDefault(provider) ?? new();
                var resilience = sp.GetRequiredService<PspResilience>();
                // The connect timeout in force now (an operator may change it at runtime), not the one at start-up.
                return PspHttp.CreateHandler(() => resilience.SettingsOf(provider)?.ConnectTimeout ?? settings.ConnectTimeout, settings.ConnectionsMax);
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // the resilience pipeline owns timeouts

    /// <summary>
    /// The silo's PostgreSQL data source. Unless the connection string says otherwise (<c>Max Auto Prepare</c>), the
    /// statements the hot path repeats are prepared on each pooled connection after their second use, so PostgreSQL
    /// parses and plans them once per connection instead of on every call (measured: parsing was the largest single
    /// cost of PostgreSQL's CPU per payment, see BENCHMARKS.md).
    /// </summary>
    internal static NpgsqlDataSource PostgresDataSource(string connectionString)
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

    /// <summary>Prepared statements kept per connection: the hot path's distinct statements, with room to spare.</summary>
    internal const int AutoPreparedStatementsMax = 64;
}
