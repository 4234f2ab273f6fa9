using System.Net;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>Assertions and steps the webhook tests share.</summary>
internal static class WebhookAssert
{
    /// <summary>Our payment ids are 32 hex digits; notifications carry them back.</summary>
    public static string NewPaymentId() => Guid.NewGuid().ToString("N");

    /// <summary>The object has exactly these members, whatever their order.</summary>
    public static void HasMembers(JsonElement element, params string[] names) =>
        Assert.Equal(names.Order(StringComparer.Ordinal), element.EnumerateObject().Select(static p => p.Name).Order(StringComparer.Ordinal));

    /// <summary>Every request verified, and none carried a card number or an IBAN.</summary>
    public static void AllSignedAndClean(IEnumerable<ReceivedWebhook> received)
    {
        foreach (var webhook in received)
        {
            Assert.Equal(WebhookVerdict.Valid, webhook.Verdict);
            var text = Encoding.UTF8.GetString(webhook.Body);
            Assert.DoesNotContain("4242424242424242", text, StringComparison.Ordinal);
            Assert.DoesNotContain("4000000000000259", text, StringComparison.Ordinal);
            Assert.DoesNotContain("DE89370400440532013000", text, StringComparison.Ordinal);
        }
    }

    public static void IsNear(DateTimeOffset expected, DateTimeOffset actual, TimeSpan tolerance) =>
        Assert.True((expected - actual).Duration() <= tolerance, $"expected about {expected:O}, got {actual:O}");

    public static async Task<JsonElement> PostJsonAsync(SimulatorHost host, string path, string? idempotencyKey, string json, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var response = await host.PostAsync(path, idempotencyKey, json, cancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return await SimulatorHost.ReadJsonAsync(response, cancellationToken);
    }

    public static Task<JsonElement> AdminPostAsync(SimulatorHost host, string path, string json, HttpStatusCode expected, CancellationToken cancellationToken) =>
        PostJsonAsync(host, path, idempotencyKey: null, json, expected, cancellationToken);

    public static async Task SetWebhookFaultsAsync(SimulatorHost host, string provider, string faultsJson, CancellationToken cancellationToken)
    {
        using var response = await host.Client.PutAsync($"/admin/webhook-faults/{provider}", SimulatorHost.Json(faultsJson), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The notifications the simulator holds about one of our references.</summary>
    public static async Task<JsonElement> NotificationsAsync(SimulatorHost host, string provider, string reference, CancellationToken cancellationToken) =>
        (await host.GetJsonAsync($"/admin/webhooks/{provider}/notifications?reference={Uri.EscapeDataString(reference)}", cancellationToken))
            .GetProperty("notifications");
}
