namespace Payments.Actors.IntegrationTests;

/// <summary>ARCHITECTURE.md §1: ApiFront as its own process (an Orleans client), and several silos in one cluster.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ClusterTests(PlatformFixture platform)
{
    [Fact]
    public async Task ASeparateApiFrontProcessServesTheSameCluster()
    {
        var (_, url) = await platform.StartApiFrontAsync();
        var key = Guid.NewGuid().ToString();

        var created = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(amount: 3131), key, baseUrl: url);
        var viaSilo = await platform.GetAsync($"/v1/payments/{created.Id}");
        var replayViaSilo = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3131), key);

        Assert.Equal(201, created.Status);
        Assert.Equal("CAPTURED", viaSilo.State);
        Assert.Equal(created.Body, replayViaSilo.Body);
    }

    [Fact]
    public async Task ASecondSiloJoinsTheClusterThroughPostgres()
    {
        await platform.StartExtraSiloAsync();

        var active = await platform.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");

        Assert.True(active >= 2, $"expected at least 2 active silos, saw {active}");
        var created = await platform.PostAsync("/v1/payments", Requests.Payment());
        Assert.Equal(201, created.Status);
    }
}
