using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>Reads settlement files and checks manifests the way <c>sha256sum -c</c> does.</summary>
internal static class SettlementAssert
{
    /// <summary>True when the manifest is one <c>&lt;hex&gt;  &lt;name&gt;</c> line naming the file and its hash matches the content.</summary>
    public static bool Verifies(string manifest, string fileName, byte[] content)
    {
        var lines = manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != 1)
        {
            return false;
        }

        var separator = lines[0].IndexOf("  ", StringComparison.Ordinal);
        return separator == 64
            && lines[0][(separator + 2)..] == fileName
            && string.Equals(lines[0][..separator], Convert.ToHexStringLower(SHA256.HashData(content)), StringComparison.Ordinal);
    }

    public static bool VerifiesOnDisk(string directory, string fileName) =>
        Verifies(File.ReadAllText(Path.Combine(directory, fileName + ".sha256")), fileName, File.ReadAllBytes(Path.Combine(directory, fileName)));

    /// <summary>The data lines of a file on disk, without the header, split into fields.</summary>
    public static IReadOnlyList<string[]> DataLines(string directory, string fileName) =>
        File.ReadAllText(Path.Combine(directory, fileName), Encoding.UTF8)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Select(static line => line.Split(','))
            .ToList();
}
