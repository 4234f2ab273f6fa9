using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>A real simulator process-in-process on a free loopback port, with an HTTP client pointed at it.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;

        // No proxy: the environment may name one, and loopback traffic must not go through it.
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static async Task<SimulatorHost> StartAsync(IEnumerable<string> settings)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(static setting => "--" + setting),
        ];
        var app = PspSimulator.PspSimulatorApp.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SimulatorHost(app, new Uri(address));
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string? idempotencyKey, string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    public async Task SetFaultsAsync(string provider, string faultsJson, CancellationToken cancellationToken)
    {
        using var response = await Client.PutAsync($"/admin/faults/{provider}", Json(faultsJson), cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task ClearFaultsAsync(string provider, CancellationToken cancellationToken)
    {
        using var response = await Client.DeleteAsync($"/admin/faults/{provider}", cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Client.GetAsync(path, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ReadJsonAsync(response, cancellationToken);
    }

    /// <summary>The charges a provider holds for one of our references.</summary>
    public async Task<JsonElement> ChargesAsync(string provider, string reference, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"/admin/charges/{provider}?reference={Uri.EscapeDataString(reference)}", cancellationToken)).GetProperty("charges");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
