using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Admin;
using Payments.Actors.PspSimulator.Bank;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.PspA;
using Payments.Actors.PspSimulator.PspB;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Hosting;

/// <summary>Registers the simulated providers, their options, their notification sender and the admin API's JSON.</summary>
internal static class SimulatorServiceCollectionExtensions
{
    public static IServiceCollection AddPspSimulator(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        foreach (var name in ProviderNames.All)
        {
            services.AddOptions<ProviderOptions>(name).BindConfiguration($"{ProviderOptions.SectionName}:{name}").ValidateOnStart();
        }

        services.AddSingleton<IValidateOptions<ProviderOptions>, ProviderOptionsValidator>();

        services.AddSingleton<PspAProvider>();
        services.AddSingleton<PspBProvider>();
        services.AddSingleton<BankProvider>();
        services.AddSingleton<ProviderState>(static sp => sp.GetRequiredService<PspAProvider>());
        services.AddSingleton<ProviderState>(static sp => sp.GetRequiredService<PspBProvider>());
        services.AddSingleton<ProviderState>(static sp => sp.GetRequiredService<BankProvider>());
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton(static sp => new SettlementFiles(
            sp.GetRequiredService<IConfiguration>()[SettlementFiles.DirectoryKey] is { Length: > 0 } directory
                ? directory
                : Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, "settlement")));
        services.AddWebhookSender();

        services.ConfigureHttpJsonOptions(static options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default);
        });
        return services;
    }

    /// <summary>One named client per provider, no proxy (the platform is usually on loopback), no redirects, no per-request Information logs.</summary>
    private static void AddWebhookSender(this IServiceCollection services)
    {
        foreach (var name in ProviderNames.All)
        {
            services.AddHttpClient(WebhookSender.ClientName(name))
                .ConfigureHttpClient((sp, client) =>
                    client.Timeout = TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptionsMonitor<ProviderOptions>>().Get(name).Webhooks.TimeoutMs))
                .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
                {
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                })
                .RemoveAllLoggers();
        }

        services.AddHostedService<WebhookSender>();
    }
}
