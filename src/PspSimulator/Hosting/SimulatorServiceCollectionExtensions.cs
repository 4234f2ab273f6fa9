using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Actors.PspSimulator.Admin;
using Payments.Actors.PspSimulator.Bank;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.PspA;
using Payments.Actors.PspSimulator.PspB;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Hosting;

/// <summary>Registers the simulated providers, their options and the admin API's JSON.</summary>
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

        services.ConfigureHttpJsonOptions(static options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default);
        });
        return services;
    }
}
