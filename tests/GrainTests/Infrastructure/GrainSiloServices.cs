using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Actors.ApiFront.Apis.Events;
using Payments.Actors.Events;
using Payments.Actors.Grains.Bank;
using Payments.Actors.Grains.MerchantEvents;
using Payments.Actors.Grains.Ledger;
using Payments.Actors.Grains.Options;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Grains.Wallets;
using Payments.Actors.Grains.Webhooks;
using Payments.Actors.Infrastructure.Blobs;
using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Postgres;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>
/// The services the payment and wallet grains need, and nothing else: the one place these tests depend on
/// how the silo wires the grains. It mirrors the grain half of the silo's registrations (src/Silo/Hosting:
/// <c>AddPaymentsGrains</c> for stores, routing and resilience, the infrastructure registrations for the data
/// source and group commit) and leaves out what they bring with them that a grain never calls: the outbox
/// relay and Kafka, the sweeper, maintenance, the completeness monitor, the settings refresher and the HTTP
/// connectors, all hosted services or HTTP clients registered unconditionally there. When a grain gains a
/// constructor dependency, its activation fails here first; add the service below.
/// </summary>
internal static class GrainSiloServices
{
    public static readonly Uri PspABaseUrl = new("http://psp-a.invalid/");
    public static readonly Uri PspBBaseUrl = new("http://psp-b.invalid/");
    public static readonly Uri BankBaseUrl = new("http://bank.invalid/");

    public static void Add(IServiceCollection services, GrainClusterFixture doubles)
    {
        // The grains read the scripted clock. Orleans resolves its own clocks (messaging timeouts, membership,
        // grain timers, reminders) as keyed services that default to this one; they stay on real time, or a
        // frozen clock would stall the runtime itself.
        services.AddSingleton<TimeProvider>(doubles.Clock);
        services.AddKeyedSingleton(KeyedService.AnyKey, TimeProvider.System);
        services.AddMetrics();

        services.AddOptions<PaymentsOptions>();
        services.AddSingleton<IValidateOptions<PaymentsOptions>, PaymentsOptionsValidator>();
        services.AddOptions<WalletsOptions>();
        services.AddSingleton<IValidateOptions<WalletsOptions>, WalletsOptionsValidator>();
        services.AddOptions<GroupCommitOptions>();
        services.AddOptions<PspOptions>().Configure(options =>
        {
            options.Providers["psp-a"] = Provider(PspABaseUrl);
            options.Providers["psp-b"] = Provider(PspBBaseUrl);
            options.Providers[BankConnector.ProviderName] = Provider(BankBaseUrl);
            options.Routing.Order = ["psp-a", "psp-b"];
        });
        services.AddSingleton<IValidateOptions<PspOptions>, PspOptionsValidator>();

        // One data source for every silo: the scratch database's, which the fixture disposes (a container does not dispose an instance it was given).
        services.AddSingleton(doubles.Database.DataSource);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<PaymentStore>();
        services.AddSingleton<WalletStore>();
        services.AddSingleton<MerchantEventStore>();
        services.AddSingleton<IMerchantEventRenderer, MerchantEventRenderer>();
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<IBlobStore>(doubles.Blobs);

        services.AddSingleton<PspRuntimeSettings>();
        services.AddSingleton<PspResilience>();
        services.AddSingleton<PspRouter>();
        services.RemoveAll<IPspConnector>();
        services.AddSingleton<IPspConnector>(doubles.PspA);
        services.AddSingleton<IPspConnector>(doubles.PspB);
        services.AddHttpClient(BankConnector.ProviderName)
            .ConfigurePrimaryHttpMessageHandler(() => doubles.Bank)
            // The scripted Bank is one instance for the whole run: the factory must never rotate (and dispose) it.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<BankConnector>();
    }

    /// <summary>No retries: a test counts exactly the requests the grains sent.</summary>
    private static PspProviderOptions Provider(Uri baseUrl) => new() { BaseUrl = baseUrl, RetryAttemptsMax = 0 };
}
