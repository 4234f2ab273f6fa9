using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Actors.LoadGen;

/// <summary>
/// The machine's own ceiling for the same scenario: a Kestrel app that answers the token request and
/// <c>POST /v1/payments</c> with a fixed small JSON body and does nothing else.
/// </summary>
public static class EmptyServer
{
    public static async Task RunAsync(string[] args)
    {
        var url = args.Length >= 2 && args[0] == "--url" ? args[1] : "http://127.0.0.1:8085";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapPost("/connect/token", () => Results.Json(new { access_token = "empty", token_type = "Bearer", expires_in = 3600 }));
        app.MapPost("/v1/payments", async (HttpRequest request) =>
        {
            // Read the body as the real endpoint must, then answer like a captured payment would.
            using var reader = new StreamReader(request.Body);
            _ = await reader.ReadToEndAsync();
            return Results.Text("""{"id":"00000000-0000-0000-0000-000000000000","object":"payment","state":"captured"}""", "application/json", statusCode: 201);
        });
        await app.RunAsync();
    }
}
