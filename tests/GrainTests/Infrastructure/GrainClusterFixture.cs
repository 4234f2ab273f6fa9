using Microsoft.Extensions.Time.Testing;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using Payments.Actors.Payments;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>
/// Two silos in this process (Orleans' <see cref="InProcessTestCluster"/>: in-memory transport, membership and
/// directory) running the real payment and wallet grains against a fresh, migrated PostgreSQL database, with
/// the PSPs and the Bank scripted and the grains' clock fake. Starts in a few seconds, so the grain-level races
/// are tested here rather than through the multi-process platform.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public MigratedDatabase Database { get; } = new();

    public ScriptedPsp PspA { get; } = new("psp-a");

    public ScriptedPsp PspB { get; } = new("psp-b");

    public ScriptedBank Bank { get; } = new();

    /// <summary>The blob store of webhook ingest: real files, and a switch to make it fail.</summary>
    public SwitchableBlobStore Blobs { get; } = new();

    /// <summary>
    /// The grains' clock. It starts at the real time because PostgreSQL keeps its own: payments are stored in
    /// monthly partitions created around the migration's date, and idempotency keys expire against <c>now()</c>.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>A create as the API sends it: to the gate of its merchant and idempotency key.</summary>
    public Task<PaymentResult> CreateAsync(CreatePayment command) =>
        Client.GetGrain<IPaymentCreationGrain>(IPaymentCreationGrain.KeyOf(command.MerchantId, command.IdempotencyKey)).CreateAsync(command);

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            // The grains register reminders as a durable backstop; the test cluster keeps them in memory.
            silo.UseInMemoryReminderService();
            GrainSiloServices.Add(silo.Services, this);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        await Database.DisposeAsync();
        Blobs.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain-cluster";
}
