using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Payments.Actors.ApiFront.Edge;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

/// <summary>A deprecated operation says so on every answer and in the OpenAPI document; one that is not, nowhere.</summary>
public sealed class DeprecationTests
{
    private static readonly DateTimeOffset DeprecatedAt = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SunsetAt = new(2027, 7, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Changelog = "https://example.test/docs/CHANGELOG.md#old-thing";

    [Fact]
    public async Task ADeprecatedEndpointAnswersWithDeprecationSunsetAndLinkHeadersAndIsDeprecatedInTheDocument()
    {
        await using var app = await StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var ct = TestContext.Current.CancellationToken;

        using var old = await client.GetAsync("/v1/old", ct);
        using var failing = await client.GetAsync("/v1/old-failing", ct);
        using var current = await client.GetAsync("/v1/current", ct);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", ct));

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal("@1798761600", Assert.Single(old.Headers.GetValues("Deprecation")));
        Assert.Equal("Thu, 01 Jul 2027 00:00:00 GMT", Assert.Single(old.Headers.GetValues("Sunset")));
        Assert.Equal($"<{Changelog}>; rel=\"deprecation\"; type=\"text/markdown\"", Assert.Single(old.Headers.GetValues("Link")));
        Assert.Equal(HttpStatusCode.Conflict, failing.StatusCode);
        Assert.True(failing.Headers.Contains("Deprecation"), "an error of a deprecated endpoint carries the headers too");
        Assert.False(current.Headers.Contains("Deprecation"));
        Assert.False(current.Headers.Contains("Sunset"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/v1/old").GetProperty("get").GetProperty("deprecated").GetBoolean());
        Assert.False(paths.GetProperty("/v1/current").GetProperty("get").TryGetProperty("deprecated", out _));
    }

    [Fact]
    public void ASunsetWithLessNoticeThanThePolicyPromisesIsRefusedAtStartUp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() =>
            app.MapGet("/v1/soon", () => "x").Deprecated(DeprecatedAt, DeprecatedAt.AddDays(30), Changelog));

        Assert.Contains("180 days", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddOpenApi(Deprecation.AddDeprecationToOpenApi);
        var app = builder.Build();
        app.UseDeprecationHeaders();
        app.MapOpenApi();
        app.MapGet("/v1/old", () => "old").Deprecated(DeprecatedAt, SunsetAt, Changelog);
        app.MapGet("/v1/old-failing", () => Results.Conflict()).Deprecated(DeprecatedAt, SunsetAt, Changelog);
        app.MapGet("/v1/current", () => "current");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
