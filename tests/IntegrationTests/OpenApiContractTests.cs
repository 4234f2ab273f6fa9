using System.Text.Json;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The served OpenAPI document describes the wire format the API speaks: snake_case members, integer amounts, optional
/// nullable members, OAuth2 security with the token endpoint, the Idempotency-Key of every merchant POST, the error model of
/// failures, and only the merchant and operator operations.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiContractTests(PlatformFixture platform)
{
    private async Task<JsonElement> DocumentAsync()
    {
        var response = await platform.SendAsync(HttpMethod.Get, "/openapi/v1.json", clientId: null);
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement.Clone();
    }

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    [Fact]
    public async Task TheDocumentDescribesOnlyTheApiAndTheTokenEndpoint()
    {
        var paths = (await DocumentAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/v1/payments", paths);
        Assert.Contains("/connect/token", paths);
        Assert.All(paths, path => Assert.True(path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/connect/token", path));
    }

    [Fact]
    public async Task SchemasUseTheWireNamesAndIntegerAmounts()
    {
        var request = Schema(await DocumentAsync(), "CreatePaymentRequest").GetProperty("properties");

        Assert.True(request.TryGetProperty("amount_minor", out var amount), request.ToString());
        Assert.False(request.TryGetProperty("amountMinor", out _));
        // Integer only: a number in a string is refused on the wire (the member is nullable so a missing amount gets a
        // validation message naming it).
        var types = amount.GetProperty("type") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().Select(t => t.GetString()).ToList() : [amount.GetProperty("type").GetString()];
        Assert.Contains("integer", types);
        Assert.DoesNotContain("string", types);
    }

    [Fact]
    public async Task NullableMembersAreNotRequired()
    {
        var document = await DocumentAsync();
        var offenders = new List<string>();
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("required", out var required) || !schema.Value.TryGetProperty("properties", out var properties))
            {
                continue;
            }

            offenders.AddRange(required.EnumerateArray().Select(r => r.GetString()!)
                .Where(name => properties.TryGetProperty(name, out var p) && IsNullable(p))
                .Select(name => $"{schema.Name}.{name}"));
        }

        Assert.Empty(offenders);
    }

    /// <summary>Nullable as the generator writes it: a type list with null, or a oneOf with a null member (a nullable reference).</summary>
    private static bool IsNullable(JsonElement property) =>
        property.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "null")
        || property.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(s => s.TryGetProperty("type", out var t) && t.GetString() == "null");

    [Fact]
    public async Task EveryOperationStatesItsSecurityAndErrorsAndEveryMerchantPostItsIdempotencyKey()
    {
        var document = await DocumentAsync();
        Assert.Equal("oauth2", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("type").GetString());
        var operations = document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();

        Assert.NotEmpty(operations);
        foreach (var (path, method, operation) in operations)
        {
            if (operation.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "webhooks"))
            {
                // PSP notifications: signed by the provider instead of OAuth2, de-duplicated by its event id instead of a key.
                Assert.Equal(0, operation.GetProperty("security").GetArrayLength());
                Assert.DoesNotContain(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
                continue;
            }

            Assert.True(operation.TryGetProperty("security", out _), $"{method} {path} has no security");
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out var unauthorised), $"{method} {path} has no 401");
            Assert.Contains("ApiError", unauthorised.ToString(), StringComparison.Ordinal);
            var idempotencyKey = operation.TryGetProperty("parameters", out var parameters)
                && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
            // The operator's POSTs (repair, requeue, replay) are idempotent by themselves and take no key.
            var takesKey = method == "post" && !path.StartsWith("/v1/operator/", StringComparison.Ordinal);
            Assert.True(idempotencyKey == takesKey, $"{method} {path}: Idempotency-Key declared {idempotencyKey}");
        }
    }
}
