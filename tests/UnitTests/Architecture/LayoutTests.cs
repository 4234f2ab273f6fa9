using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Payments.Actors.Events;
using Payments.Actors.Grains.Payments;
using Payments.Actors.Infrastructure.Postgres;
using Xunit;

namespace Payments.Actors.UnitTests.Architecture;

/// <summary>
/// The layout rules of the codebase, checked on the sources so that they hold after the next change too: every concern
/// in one named home, the event contract spelled once, files and methods small enough to read.
/// </summary>
public sealed partial class LayoutTests
{
    private const int FileLinesMax = 400;
    private const int MethodLinesMax = 70;

    private static readonly string Root = FindRoot();

    [Fact]
    public void NoSourceFileIsLongerThanFourHundredLines()
    {
        var tooLong = SourceFiles().Select(f => (File: Relative(f), Lines: File.ReadAllLines(f).Length)).Where(f => f.Lines > FileLinesMax).ToList();

        Assert.True(tooLong.Count == 0, $"Files over {FileLinesMax} lines: {string.Join(", ", tooLong)}");
    }

    [Fact]
    public void NoMethodIsLongerThanSeventyLines()
    {
        var tooLong = SourceFiles().SelectMany(LongMethods).ToList();

        Assert.True(tooLong.Count == 0, $"Methods over {MethodLinesMax} lines: {string.Join(", ", tooLong)}");
    }

    [Fact]
    public void TheGrainsAssemblyCannotSeeAKafkaClient()
    {
        var references = typeof(PaymentStore).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("Confluent.Kafka", references);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "src", "Grains"), "*.sql", SearchOption.AllDirectories));
    }

    [Fact]
    public void EveryHostedServiceOfTheAggregatesAndTheInfrastructureIsRegisteredByTheSilo()
    {
        var hosted = new[] { typeof(PaymentStore).Assembly, typeof(GroupCommitWriter).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(IHostedService).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.Name)
            .ToList();
        var siloHosting = string.Concat(Directory.GetFiles(Path.Combine(Root, "src", "Silo", "Hosting"), "*.cs").Select(File.ReadAllText));
        var registeredInLibraries = SourceFiles()
            .Where(f => Relative(f) is var r && (r.StartsWith("src/Grains", StringComparison.Ordinal) || r.StartsWith("src/Infrastructure/", StringComparison.Ordinal)))
            .Where(f => File.ReadAllText(f).Contains("AddHostedService", StringComparison.Ordinal))
            .Select(Relative)
            .ToList();

        Assert.NotEmpty(hosted);
        Assert.All(hosted, name => Assert.Contains($"AddHostedService<{name}>", siloHosting.Replace($"GetRequiredService<{name}>", $"AddHostedService<{name}>", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Empty(registeredInLibraries);
    }

    [Fact]
    public void EveryEventTypeAndTopicNameIsSpelledOnceInTheSources()
    {
        string[] names = [.. PaymentEventTypes.All, .. WalletEventTypes.All, .. PspNotificationEventTypes.All, .. EventTopics.All];
        var sources = SourceFiles().Where(f => !Relative(f).StartsWith("src/PspSimulator/", StringComparison.Ordinal))
            .ToDictionary(Relative, File.ReadAllText);

        foreach (var name in names)
        {
            var spelled = sources.Where(s => s.Value.Contains($"\"{name}\"", StringComparison.Ordinal)).Select(s => s.Key).ToList();
            Assert.True(spelled.Count == 1 && spelled[0].StartsWith("src/Grains.Abstractions/Events/", StringComparison.Ordinal),
                $"\"{name}\" is spelled in: {string.Join(", ", spelled)}");
        }
    }

    /// <summary>Block-bodied members whose braces sit at their declaration's indentation, as the house style writes them.</summary>
    private static IEnumerable<string> LongMethods(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var match = MemberDeclaration().Match(lines[i]);
            if (!match.Success || TypeDeclaration().IsMatch(lines[i]))
            {
                continue;
            }

            var indent = match.Groups["indent"].Value;
            var open = i + 1;
            while (open < lines.Length && open - i < 4 && !lines[open].StartsWith(indent + "{", StringComparison.Ordinal) && !lines[open - 1].TrimEnd().EndsWith(';'))
            {
                open++;
            }

            if (open >= lines.Length || !lines[open].StartsWith(indent + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var close = Array.FindIndex(lines, open + 1, l => l.StartsWith(indent + "}", StringComparison.Ordinal));
            if (close > 0 && close - i + 1 > MethodLinesMax)
            {
                yield return $"{Relative(file)}:{i + 1} ({close - i + 1} lines)";
            }
        }
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "load"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Payments.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Payments.Actors.sln not found above the test binaries.");
    }

    [GeneratedRegex(@"^(?<indent>\s+)(?:\[[^\]]*\]\s*)*(?:(?:public|private|internal|protected|static|async|override|sealed|virtual|partial|unsafe|extern|new)\s+)+[\w<>\[\],.?() ]+?\s+[\w<>,]+\s*\(")]
    private static partial Regex MemberDeclaration();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum)\b")]
    private static partial Regex TypeDeclaration();
}
