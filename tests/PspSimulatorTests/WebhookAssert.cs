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

    /// <summary>Polls the simulator's listing until the one notification about <paramref name="reference"/> satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonElement> WaitForNotificationAsync(
        SimulatorHost host, string provider, string reference, Func<JsonElement, bool> done, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var notifications = (await NotificationsAsync(host, provider, reference, cancellationToken)).EnumerateArray().ToList();
            if (notifications.Count == 1 && done(notifications[0]))
            {
                return notifications[0];
            }

            Assert.True(
                TimeProvider.System.GetElapsedTime(started) < WebhookReceiver.WaitMax,
                $"the simulator's notification about {reference} never got there: {string.Join(", ", notifications)}");
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Makes <paramref name="provider"/> decide one outcome about <paramref name="reference"/>: an authorisation or a booked transfer.</summary>
    public static Task<JsonElement> DecideOneAsync(SimulatorHost host, string provider, string reference, CancellationToken cancellationToken) =>
        provider switch
        {
            "psp-a" => PostJsonAsync(host, "/psp-a/v1/payments", Bodies.NewKey(), Bodies.PspAPayment(reference, "4242424242424242"), HttpStatusCode.OK, cancellationToken),
            "psp-b" => PostJsonAsync(host, "/psp-b/api/transactions", Bodies.NewKey(), Bodies.PspBTransaction(reference, "4242424242424242"), HttpStatusCode.OK, cancellationToken),
            _ => PostJsonAsync(host, "/bank/v2/transfers", Bodies.NewKey(), Bodies.BankTransfer(reference, "DE89370400440532013000", "10.00"), HttpStatusCode.OK, cancellationToken),
        };

    public static async Task<JsonElement> StatsAsync(SimulatorHost host, string provider, CancellationToken cancellationToken) =>
        await host.GetJsonAsync($"/admin/webhooks/{provider}", cancellationToken);
}
