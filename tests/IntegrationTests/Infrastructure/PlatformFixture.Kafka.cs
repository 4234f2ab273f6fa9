using System.Text.Json;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>The embedded Kafka's admin API: brokers down and up, injected request errors.</summary>
public sealed partial class PlatformFixture
{
    /// <summary>Stops one embedded Kafka broker: its connections close and new ones are refused (leaders do not move).</summary>
    public Task SetBrokerDownAsync(int id) => KafkaAdminAsync($"/admin/brokers/{id}/down");

    /// <summary>Lets one embedded Kafka broker accept connections again.</summary>
    public Task SetBrokerUpAsync(int id) => KafkaAdminAsync($"/admin/brokers/{id}/up");

    /// <summary>
    /// The next requests of one Kafka API fail with these errors, in order (<c>POST /admin/errors</c>), e.g.
    /// <c>("Produce", "NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT")</c>.
    /// </summary>
    public Task PushKafkaErrorsAsync(string api, params string[] errors) =>
        KafkaAdminAsync("/admin/errors", JsonSerializer.Serialize(new { api, errors }));

    private async Task KafkaAdminAsync(string path, string? json = null)
    {
        using var content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"{KafkaAdminUrl}{path}", content);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
