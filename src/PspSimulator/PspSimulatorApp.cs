using Payments.Actors.PspSimulator.Admin;
using Payments.Actors.PspSimulator.Bank;
using Payments.Actors.PspSimulator.Hosting;
using Payments.Actors.PspSimulator.PspA;
using Payments.Actors.PspSimulator.PspB;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator;

/// <summary>Builds the simulator; <c>Program</c> runs it and tests start it on a free port.</summary>
public static class PspSimulatorApp
{
    /// <summary>Provider requests are small JSON documents; anything bigger is refused by Kestrel with 413.</summary>
    public const int RequestBodyBytesMax = 64 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(PspSimulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(static kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RequestBodyBytesMax;
        });
        builder.Services.AddPspSimulator();

        var app = builder.Build();
        app.MapGet("/health", static () => TypedResults.Ok(new HealthStatus("ok")));
        app.MapPspA();
        app.MapPspB();
        app.MapBank();
        app.MapAdmin();

        foreach (var provider in app.Services.GetRequiredService<ProviderRegistry>().All)
        {
            var webhooks = provider.Webhooks.Url?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) ?? "off";
            SimulatorLog.ProviderReady(provider.Logger, provider.Name, provider.HmacSecret is null ? "off" : "on", webhooks);
        }

        return app;
    }
}
