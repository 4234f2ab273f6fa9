using System.Text.RegularExpressions;
using Xunit;

namespace Payments.Actors.UnitTests.Ledger;

/// <summary>Issue 4: no UPDATE or DELETE statement touches ledger_entries anywhere in the code. The database refuses them too; this keeps them out of the source.</summary>
public sealed partial class AppendOnlySourceTests
{
    [Fact]
    public void NoSourceFileUpdatesDeletesOrTruncatesLedgerEntries()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var offenders = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => RewriteOfLedgerEntries().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(src, f)}: {m.Value}"))
            .ToList();

        Assert.True(Directory.EnumerateFiles(src, "0007_ledger.sql", SearchOption.AllDirectories).Any(), "the scan must see the ledger migration");
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("UPDATE ledger_entries SET memo = 'x'")]
    [InlineData("delete from ONLY ledger_entries")]
    [InlineData("TRUNCATE TABLE ledger_entries")]
    [InlineData("MERGE INTO ledger_entries e USING x ON true")]
    public void TheScanRecognisesEveryRewrite(string sql) => Assert.Matches(RewriteOfLedgerEntries(), sql);

    [GeneratedRegex(@"\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|MERGE\s+INTO)\s+(ONLY\s+)?ledger_entries\b", RegexOptions.IgnoreCase)]
    private static partial Regex RewriteOfLedgerEntries();

    private static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Payments.Actors.sln not found above the test assembly.");
    }
}
