using System.Net;
using System.Net.Sockets;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// PSP webhooks: the secrets the simulator signs with and the silo verifies with (PSP A with a rotation in progress:
/// a current and a previous secret), the blob directory, and deliveries from a chosen loopback source address.
/// Every provider may post from 127.0.0.1 and ::1 only, so a delivery from 127.0.0.2 (still this machine) is refused.
/// </summary>
public sealed partial class PlatformFixture
{
    public const string BankWebhookKeyId = "it-bank-key";

    /// <summary>Where a provider may post from in these tests: 127.0.0.1 and ::1, not the rest of 127.0.0.0/8.</summary>
    public static readonly IPAddress ForbiddenSource = IPAddress.Parse("127.0.0.2");

    public IReadOnlyDictionary<string, string> WebhookSecrets { get; } = new Dictionary<string, string>
    {
        ["psp-a"] = NewSecret(), ["psp-b"] = NewSecret(), ["bank"] = NewSecret(),
    };

    /// <summary>PSP A's previous secret, still accepted while its rotation is under way.</summary>
    public string PspAPreviousWebhookSecret { get; } = NewSecret();

    /// <summary>The file blob store's directory (<c>Blobs:Directory</c>).</summary>
    public string BlobDirectory => Path.Combine(_dataDirectory, "blobs");

    /// <summary>
    /// Posts a webhook body as given, with the given headers, from <paramref name="source"/> (default 127.0.0.1); the
    /// exchange is checked against the served OpenAPI document like every other.
    /// </summary>
    public async Task<ApiResponse> PostWebhookAsync(string provider, byte[] body, IReadOnlyDictionary<string, string> headers, IPAddress? source = null)
    {
        var handler = new SocketsHttpHandler { ConnectCallback = (context, cancellation) => ConnectFromAsync(source ?? IPAddress.Loopback, context, cancellation) };
        using var client = NewCheckedClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ApiUrl}/v1/webhooks/psp/{provider}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new ApiResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), false);
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>What the simulator needs to deliver to the silo's ingest with matching secrets (its <c>Providers:&lt;name&gt;:Webhooks</c>).</summary>
    private void AddSimulatorWebhookSettings(Dictionary<string, string> environment)
    {
        foreach (var provider in PspNames)
        {
            environment[$"Providers__{provider}__Webhooks__Url"] = $"{ApiUrl}/v1/webhooks/psp/{provider}";
            environment[$"Providers__{provider}__Webhooks__Secret"] = WebhookSecrets[provider];
        }

        environment["Providers__psp-a__Webhooks__PreviousSecret"] = PspAPreviousWebhookSecret;
        environment["Providers__bank__Webhooks__KeyId"] = BankWebhookKeyId;
    }

    /// <summary>The silo's side: secrets (newest first), allowed networks, blob directory.</summary>
    private void AddSiloWebhookSettings(Dictionary<string, string> environment)
    {
        foreach (var provider in PspNames)
        {
            environment[$"Webhooks__Providers__{provider}__Secrets__0"] = provider == "bank" ? $"{BankWebhookKeyId}:{WebhookSecrets[provider]}" : WebhookSecrets[provider];
            environment[$"Webhooks__Providers__{provider}__AllowedNetworks__0"] = "127.0.0.1/32";
            environment[$"Webhooks__Providers__{provider}__AllowedNetworks__1"] = "::1/128";
        }

        environment["Webhooks__Providers__psp-a__Secrets__1"] = PspAPreviousWebhookSecret;
        environment["Blobs__Directory"] = BlobDirectory;
    }

    /// <summary>Sets the simulator's notification faults for one provider (<c>PUT /admin/webhook-faults/{provider}</c>).</summary>
    public async Task SetWebhookFaultsAsync(string provider, string json)
    {
        using var response = await Http.PutAsync($"{PspUrl}/admin/webhook-faults/{provider}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT webhook faults {provider}: {(int)response.StatusCode}");
    }

    /// <summary>Clears the simulator's notification faults for one provider.</summary>
    public async Task ResetWebhookFaultsAsync(string provider)
    {
        using var response = await Http.DeleteAsync($"{PspUrl}/admin/webhook-faults/{provider}");
        Assert.True(response.IsSuccessStatusCode, $"DELETE webhook faults {provider}: {(int)response.StatusCode}");
    }
}
