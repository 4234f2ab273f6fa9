using System.Reflection;
using System.Text;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// A client generated from the served document is enough to integrate: NSwag generates C# (System.Text.Json, the
/// document's snake_case names), Roslyn compiles it with a merchant's code (GeneratedClient/Scenario.cs), and that code
/// gets a token from /connect/token and creates, reads, captures and refunds a payment through the generated types only,
/// its exchanges checked against the document like every other.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GeneratedClientTests(PlatformFixture platform)
{
    private static string ScenarioSource()
    {
        using var stream = typeof(GeneratedClientTests).Assembly.GetManifestResourceStream("GeneratedClientScenario.cs")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task TheGeneratedClientUsesTheDocumentsNamesWithSystemTextJson()
    {
        var source = await GeneratedClient.GenerateAsync(Encoding.UTF8.GetString(platform.ContractBytes));

        Assert.Contains("[System.Text.Json.Serialization.JsonPropertyName(\"amount_minor\")]", source, StringComparison.Ordinal);
        Assert.Contains("[System.Text.Json.Serialization.JsonPropertyName(\"error_code\")]", source, StringComparison.Ordinal);
        Assert.DoesNotContain("[Newtonsoft.Json.", source, StringComparison.Ordinal);
        Assert.Contains($"public partial class {GeneratedClient.ClassName}", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientGeneratedFromTheServedDocumentCompilesAndPaysEndToEnd()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var source = await GeneratedClient.GenerateAsync(Encoding.UTF8.GetString(platform.ContractBytes));
        var assembly = GeneratedClient.Compile(source, ScenarioSource());
        var run = assembly.GetType($"{GeneratedClient.Namespace}.Scenario")!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
        // The generated client sets its own bearer token on the client it is given: one of its own, through the checked handler.
        using var http = platform.NewCheckedClient();

        var steps = await (Task<List<(string Step, string State, long Amount, string Currency, long Captured, long Refunded)>>)run.Invoke(null,
            [http, $"{platform.ApiUrl}/", PlatformFixture.MerchantA, platform.SecretOf(PlatformFixture.MerchantA), cancellation])!;

        Assert.Equal(
        [
            ("create", "AUTHORIZED", 2599L, "EUR", 0L, 0L),
            ("get", "AUTHORIZED", 2599L, "EUR", 0L, 0L),
            ("capture", "CAPTURED", 2599L, "EUR", 2000L, 0L),
            ("refund", "CAPTURED", 2599L, "EUR", 2000L, 500L),
            ("capture again", "409 INVALID_STATE retryable=False", 0L, "", 0L, 0L),
        ], steps);
    }
}
