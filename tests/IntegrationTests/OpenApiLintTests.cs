using System.Text;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Payments.Actors.IntegrationTests;

/// <summary>
/// The served document lints clean: Microsoft.OpenApi reads it as OpenAPI 3.1 without an error or a warning and its
/// validation rules find nothing, and it keeps the house rules (<see cref="OpenApiHouseRules"/>). The house rules are shown
/// to catch a document that breaks them.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpenApiLintTests(PlatformFixture platform)
{
    private static ReadResult Read(byte[] json) => OpenApiDocument.Parse(Encoding.UTF8.GetString(json), OpenApiConstants.Json, new OpenApiReaderSettings());

    [Fact]
    public void TheServedDocumentReadsAsOpenApi31WithoutAnErrorOrAWarning()
    {
        var read = Read(platform.ContractBytes);

        Assert.StartsWith("3.1.", platform.Contract.Root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic?.SpecificationVersion);
        Assert.True(read.Diagnostic!.Errors.Count == 0, string.Join("\n", read.Diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.True(read.Diagnostic.Warnings.Count == 0, string.Join("\n", read.Diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}")));
    }

    [Fact]
    public void TheServedDocumentPassesTheValidationRulesOfMicrosoftOpenApi()
    {
        var rules = ValidationRuleSet.GetDefaultRuleSet();

        var errors = Read(platform.ContractBytes).Document!.Validate(rules)?.ToList() ?? [];

        Assert.True(rules.Count > 10, $"only {rules.Count} rules");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
    }

    [Fact]
    public void EveryOperationHasAUniqueOperationIdASummaryATagASuccessWithASchemaAndFailuresInTheErrorModel()
    {
        var document = Read(platform.ContractBytes).Document!;

        var findings = OpenApiHouseRules.OperationFindings(document);

        Assert.True(document.Paths.Count > 20, $"only {document.Paths.Count} paths");
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void EverySchemaPropertyOfTheDocumentIsNamedSnakeCase()
    {
        var findings = OpenApiHouseRules.PropertyNameFindings(platform.Contract.Root);

        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public void TheHouseRulesReportADocumentThatBreaksEachOfThem()
    {
        const string broken = """
            {"openapi":"3.1.1","info":{"title":"t","version":"1"},"paths":{
              "/v1/a":{"get":{"operationId":"Same","responses":{"200":{"description":"ok"},
                "404":{"description":"no","content":{"application/json":{"schema":{"type":"object"}}}}}}},
              "/v1/b":{"get":{"operationId":"Same","summary":"b","tags":["B"],"responses":{"200":{"description":"ok",
                "content":{"application/json":{"schema":{"type":"object","properties":{"amountMinor":{"type":"integer"}}}}}}}},
                "delete":{"operationId":"DeleteB","summary":"b","tags":["B"],"responses":{"204":{"description":"gone",
                "content":{"application/json":{"schema":{"type":"object"}}}}}}},
              "/v1/c":{"delete":{"operationId":"DeleteC","summary":"c","tags":["C"],"responses":{"204":{"description":"gone"}}}}}}
            """;
        var document = Read(Encoding.UTF8.GetBytes(broken)).Document!;

        var findings = OpenApiHouseRules.OperationFindings(document).Concat(OpenApiHouseRules.PropertyNameFindings(JsonDocument.Parse(broken).RootElement)).ToList();

        Assert.Contains("GET /v1/a: no summary", findings);
        Assert.Contains("GET /v1/a: no tag", findings);
        Assert.Contains("GET /v1/a: no 2xx response with a schema or an example", findings);
        Assert.Contains("GET /v1/a: 404 is not in the error model (ApiError)", findings);
        Assert.Contains("operationId Same is used by GET /v1/a and GET /v1/b", findings);
        Assert.Contains("DELETE /v1/b: 204 describes a body", findings);
        Assert.DoesNotContain(findings, f => f.StartsWith("DELETE /v1/c", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith("/paths/~1v1~1b/get/responses/200/content/application~1json/schema/properties/amountMinor", StringComparison.Ordinal));
    }
}
