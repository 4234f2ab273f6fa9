using System.Globalization;

namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// Writes settlement files and manifests into one directory, with each provider's faults for its next file and
/// the files held back by <c>late</c>. Rewriting a day whose latest file already has the same bytes (and an intact manifest) writes nothing.
/// </summary>
internal sealed class SettlementFiles(string directory)
{
    public const string DirectoryKey = "Settlement:Directory";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SettlementFaultSettings> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateOnly Date, byte[] Content, int Lines, SettlementFaultSettings Faults)>> _held = new(StringComparer.Ordinal);

    public string Directory { get; } = directory;

    public SettlementFaultSettings Faults(string provider)
    {
        lock (_gate)
        {
            return _faults.GetValueOrDefault(provider, SettlementFaultSettings.None);
        }
    }

    public void SetFaults(string provider, SettlementFaultSettings faults)
    {
        lock (_gate)
        {
            _faults[provider] = faults;
        }
    }

    /// <summary>Writes the day's file from its lines, taking (and resetting) the provider's faults.</summary>
    public SettlementFileResult Write(string provider, DateOnly valueDate, IReadOnlyList<SettlementLine> lines)
    {
        lock (_gate)
        {
            var faults = _faults.GetValueOrDefault(provider, SettlementFaultSettings.None);
            _faults.Remove(provider);
            var faulty = faults.Apply(lines, valueDate, Guid.NewGuid());
            var content = SettlementWriter.Render(faulty);
            if (faults.Late)
            {
                _held.TryAdd(provider, []);
                _held[provider].Add((valueDate, content, faulty.Count, faults));
                return new SettlementFileResult(provider, Iso(valueDate), [], [], faulty.Count, SettlementWriter.Sha256Hex(content), Written: false, Late: true);
            }

            return WriteNow(provider, valueDate, content, faulty.Count, faults);
        }
    }

    /// <summary>Writes every file <c>late</c> held back for the provider, oldest first.</summary>
    public IReadOnlyList<SettlementFileResult> Release(string provider)
    {
        lock (_gate)
        {
            if (!_held.Remove(provider, out var held))
            {
                return [];
            }

            return held.Select(file => WriteNow(provider, file.Date, file.Content, file.Lines, file.Faults)).ToList();
        }
    }

    /// <summary>The provider's settlement files on disk (not their manifests), by name.</summary>
    public IReadOnlyList<string> List(string provider)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, $"settlement_{provider}_*.csv")
            .Select(static path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private SettlementFileResult WriteNow(string provider, DateOnly valueDate, byte[] content, int lines, SettlementFaultSettings faults)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var prefix = $"settlement_{provider}_{valueDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}_";
        var existing = List(provider).Where(name => name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var sha256 = SettlementWriter.Sha256Hex(content);
        if (faults == SettlementFaultSettings.None && existing.Count > 0 && Matches(existing[^1], content, sha256))
        {
            return new SettlementFileResult(provider, Iso(valueDate), [existing[^1]], [SettlementWriter.ManifestName(existing[^1])], lines, sha256, Written: false, Late: false);
        }

        var seq = existing.Count == 0 ? 1 : SeqOf(existing[^1]) + 1;
        var copies = faults.DuplicateFile ? 2 : 1;
        var files = new List<string>();
        for (var copy = 0; copy < copies; copy++)
        {
            var name = SettlementWriter.FileName(provider, valueDate, seq + copy);
            var manifestHash = faults.CorruptFile ? SettlementWriter.Sha256Hex([.. content, (byte)'\n']) : sha256;
            File.WriteAllBytes(Path.Combine(Directory, name), content);
            File.WriteAllBytes(Path.Combine(Directory, SettlementWriter.ManifestName(name)), SettlementWriter.Manifest(manifestHash, name));
            files.Add(name);
        }

        return new SettlementFileResult(provider, Iso(valueDate), files, files.Select(SettlementWriter.ManifestName).ToList(), lines, sha256, Written: true, Late: false);
    }

    /// <summary>The file holds exactly this content and its manifest is intact (a corrupted one is not reused).</summary>
    private bool Matches(string fileName, byte[] content, string sha256)
    {
        var manifest = Path.Combine(Directory, SettlementWriter.ManifestName(fileName));
        return File.Exists(manifest)
            && File.ReadAllBytes(Path.Combine(Directory, fileName)).AsSpan().SequenceEqual(content)
            && File.ReadAllBytes(manifest).AsSpan().SequenceEqual(SettlementWriter.Manifest(sha256, fileName));
    }

    private static int SeqOf(string fileName) =>
        int.Parse(fileName.AsSpan(fileName.LastIndexOf('_') + 1, 3), CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
