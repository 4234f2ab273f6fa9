namespace Payments.Actors.IntegrationTests;

/// <summary>ApiFront as its own process (an Orleans client), and several silos in one cluster.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ClusterTests(PlatformFixture platform)
{
    [Fact]
    public async Task ASeparateApiFrontProcessServesTheSameCluster()
    {
        var (apiFront, url) = await platform.StartApiFrontAsync();
        var key = Guid.NewGuid().ToString();

        var created = await platform.SendAsync(HttpMethod.Post, "/v1/payments", Requests.Payment(amount: 3131), key, baseUrl: url);
        var viaSilo = await platform.GetAsync($"/v1/payments/{created.Id}");
        var replayViaSilo = await platform.PostAsync("/v1/payments", Requests.Payment(amount: 3131), key);
        await apiFront.StopAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(201, created.Status);
        Assert.Equal("CAPTURED", viaSilo.State);
        Assert.Equal(created.Body, replayViaSilo.Body);
    }

    [Fact]
    public async Task ASecondSiloJoinsTheClusterThroughPostgres()
    {
        var second = await platform.StartExtraSiloAsync();

        var active = await platform.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");
        var created = await platform.PostAsync("/v1/payments", Requests.Payment());
        await second.StopAsync(TimeSpan.FromSeconds(30));
        var afterLeave = await platform.ScalarAsync("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");

        Assert.Equal(2, active);
        Assert.Equal(201, created.Status);
        Assert.Equal(1, afterLeave);
    }
}
