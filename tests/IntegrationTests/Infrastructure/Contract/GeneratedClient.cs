using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// A C# client generated from an OpenAPI document by NSwag, as a merchant would generate one (System.Text.Json, the
/// document's own names), compiled by Roslyn together with code that uses it, and loaded into a collectible context.
/// </summary>
public static class GeneratedClient
{
    public const string Namespace = "Generated.PaymentsApi";
    public const string ClassName = "PaymentsApiClient";

    public static async Task<string> GenerateAsync(string documentJson)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(documentJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = ClassName,
            GenerateClientInterfaces = false,
            UseBaseUrl = true,
            InjectHttpClient = true,
            GenerateOptionalParameters = true,
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>The sources compiled into one assembly against the running framework; fails with every compiler error.</summary>
    public static Assembly Compile(params string[] sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        // The implicit usings of an SDK project, as a merchant's project would have them.
        const string implicitUsings = "global using System; global using System.Collections.Generic; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        var compilation = CSharpCompilation.Create($"GeneratedClient{Guid.NewGuid():N}",
            sources.Append(implicitUsings).Select(s => CSharpSyntaxTree.ParseText(s, parse)), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(emitted.Success, $"the generated client does not compile:\n{string.Join("\n", errors.Take(30))}");
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
