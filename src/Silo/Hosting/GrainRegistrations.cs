using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Apis.Events;
using Payments.Actors.Events;
using Payments.Actors.Grains.Bank;
using Payments.Actors.Grains.MerchantEvents;
using Payments.Actors.Grains.Disputes;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Events;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Reconciliation;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Grains.WebhookEndpoints;
using Payments.Actors.Grains.Webhooks;

namespace Payments.Actors.Silo.Hosting;

public static class GrainRegistrations
{
    /// <summary>The aggregates' services: options, stores, the PSP connectors and the aggregates' background services.</summary>
    public static ISiloBuilder AddPaymentsGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<PaymentsOptions>().Bind(configuration.GetSection(PaymentsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, PaymentsOptionsValidator>();
        services.AddOptions<PspOptions>().Bind(configuration.GetSection(PspOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PspOptions>, PspOptionsValidator>();
        services.AddOptions<WalletsOptions>().Bind(configuration.GetSection(WalletsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WalletsOptions>, WalletsOptionsValidator>();

        services.AddSingleton<PaymentStore>();
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<WalletStore>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<MerchantEventStore>();
        services.AddSingleton<DisputeStore>();
        services.AddSingleton<BreakStore>();
        // Merchant events show their objects as the API does: the API's rendering, given to the grains.
        services.AddSingleton<IMerchantEventRenderer, MerchantEventRenderer>();
        services.AddSingleton<PendingPaymentMetrics>();
        services.AddHostedService<PendingPaymentSweeper>();

        services.AddOptions<LedgerCompletenessOptions>().Bind(configuration.GetSection(LedgerCompletenessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerCompletenessOptions>, LedgerCompletenessOptionsValidator>();
        services.AddSingleton<LedgerCompletenessMetrics>();
        services.AddSingleton<LedgerCompletenessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerCompletenessMonitor>());
        services.AddSingleton<LedgerFeedMetrics>();
        services.AddSingleton<WebhookFeedMetrics>();

        AddWebhooksOut(services, configuration);

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

    /// <summary>Webhook endpoints and the dispatcher that sends merchant events to them (every silo runs one; they share the work).</summary>
    private static void AddWebhooksOut(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOutOptions>().Bind(configuration.GetSection(WebhookOutOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOutOptions>, WebhookOutOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<WebhookOutOptions>>().Value;
            return new WebhookUrlPolicy(settings.AllowHttp, settings.AllowPrivateNetworks);
        });
        services.AddSingleton<WebhookEndpointStore>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddHttpClient(WebhookHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttp.CreateHandler(sp.GetRequiredService<WebhookUrlPolicy>(),
                sp.GetRequiredService<IOptions<WebhookOutOptions>>().Value.AttemptTimeout))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // the dispatcher times each attempt
        services.AddHostedService<WebhookDispatcher>();
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
}
