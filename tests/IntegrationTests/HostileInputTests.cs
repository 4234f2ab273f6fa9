using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// Every operation of the served OpenAPI document, called with malformed and random path and query values: each answer
/// is below 500, and every refusal is in the error model. The document drives the test, so a new route is covered the
/// day it is published.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileInputTests(PlatformFixture platform)
{
    private static readonly string[] PathValues =
        ["not-an-id", "0", Guid.NewGuid().ToString(), "019ab000-0000-7000-8000-00000000ffff", new string('x', 300), "%20", "a%2Fb", "-1"];

    private static readonly string[] QueryValues = ["abc", "-1", "0", "1e99", "99999999999999999999", "", "%00", "2026-13-45"];

    [Fact]
    public async Task NoMalformedOrRandomPathOrQueryValueIsAnswered500()
    {
        var document = await platform.SendAsync(HttpMethod.Get, "/openapi/v1.json", clientId: null);
        var paths = JsonDocument.Parse(document.Body).RootElement.GetProperty("paths");
        var failures = new List<string>();
        var calls = 0;
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var target in Targets(path.Name, operation.Value))
                {
                    calls++;
                    var client = path.Name.StartsWith("/v1/operator", StringComparison.Ordinal) ? PlatformFixture.Operator : PlatformFixture.MerchantA;
                    var method = new HttpMethod(operation.Name.ToUpperInvariant());
                    var response = await platform.SendAsync(method, target, json: method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}",
                        idempotencyKey: method == HttpMethod.Post ? Guid.NewGuid().ToString() : null, clientId: client);
                    if (response.Status >= 500 || (response.Status >= 400 && !HasErrorCode(response.Body)))
                    {
                        failures.Add($"{method} {target} -> {response.Status} {System.Text.Encoding.UTF8.GetString(response.Body)[..Math.Min(200, response.Body.Length)]}");
                    }
                }
            }
        }

        Assert.True(calls > 50, $"only {calls} calls were made");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The operation's path with each hostile value in every path parameter, then with each in every query parameter.</summary>
    private static IEnumerable<string> Targets(string template, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        var pathNames = parameters.Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
        var queryNames = parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList();
        foreach (var value in PathValues)
        {
            yield return pathNames.Aggregate(template, (t, name) => t.Replace($"{{{name}}}", value, StringComparison.Ordinal));
        }

        var plain = pathNames.Aggregate(template, (t, name) => t.Replace($"{{{name}}}", "psp-a", StringComparison.Ordinal));
        foreach (var name in queryNames)
        {
            foreach (var value in QueryValues)
            {
                yield return $"{plain}?{Uri.EscapeDataString(name)}={value}";
            }
        }
    }

    private static bool HasErrorCode(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("error_code", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
