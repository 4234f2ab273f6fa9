using Payments.Actors.PspSimulator.Settlement;

namespace Payments.Actors.PspSimulatorTests;

public sealed class SettlementFilesTests : IDisposable
{
    private const string Provider = "psp-a";
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly DateTimeOffset Noon = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "settlement-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SettlementFiles _files;
    private readonly IReadOnlyList<SettlementLine> _lines;

    public SettlementFilesTests()
    {
        _files = new SettlementFiles(_directory);
        _lines = SettlementWriter.Lines(Provider, Day,
        [
            new SettlementEntry(Noon, "pa_1", Guid.NewGuid().ToString("N"), SettlementTypes.Capture, 10_000, "EUR"),
            new SettlementEntry(Noon.AddMinutes(1), "re_1", Guid.NewGuid().ToString("N"), SettlementTypes.Refund, -2_500, "EUR"),
            new SettlementEntry(Noon.AddMinutes(2), "pa_2", Guid.NewGuid().ToString("N"), SettlementTypes.Capture, 700, "EUR"),
        ]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void WritingADayPutsTheFileAndAVerifyingManifestInTheDirectory()
    {
        var result = _files.Write(Provider, Day, _lines);

        Assert.True(result.Written);
        Assert.Equal(["settlement_psp-a_20260314_001.csv"], result.Files);
        Assert.Equal(["settlement_psp-a_20260314_001.csv.sha256"], result.Manifests);
        Assert.Equal(3, result.Lines);
        Assert.True(SettlementAssert.VerifiesOnDisk(_directory, result.Files[0]));
        Assert.Equal(result.Sha256, File.ReadAllText(Path.Combine(_directory, result.Manifests[0]))[..64]);
        Assert.Equal(result.Files, _files.List(Provider));
    }

    [Fact]
    public void RegeneratingTheSameDayGivesTheSameBytesAndWritesNoSecondFile()
    {
        var first = _files.Write(Provider, Day, _lines);
        var bytes = File.ReadAllBytes(Path.Combine(_directory, first.Files[0]));

        var second = _files.Write(Provider, Day, _lines);

        Assert.False(second.Written);
        Assert.Equal(first.Files, second.Files);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_directory, first.Files[0])));
        Assert.Single(_files.List(Provider));
    }

    [Fact]
    public void ADayWithNewBookingsIsWrittenAgainUnderTheNextSequence()
    {
        _files.Write(Provider, Day, _lines.Take(2).ToList());

        var second = _files.Write(Provider, Day, _lines);

        Assert.Equal(["settlement_psp-a_20260314_002.csv"], second.Files);
    }

    [Fact]
    public void TheMissingLineKnobDropsOneLineOnceThenResets()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(MissingLine: true));

        var faulty = _files.Write(Provider, Day, _lines);

        Assert.Equal(2, SettlementAssert.DataLines(_directory, faulty.Files[0]).Count);
        Assert.Equal(SettlementFaultSettings.None, _files.Faults(Provider));
        Assert.True(SettlementAssert.VerifiesOnDisk(_directory, faulty.Files[0]));
        var clean = _files.Write(Provider, Day, _lines);
        Assert.Equal(3, SettlementAssert.DataLines(_directory, clean.Files[0]).Count);
    }

    [Fact]
    public void TheExtraLineKnobAddsACaptureForAPaymentThatDoesNotExist()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(ExtraLine: true));

        var lines = SettlementAssert.DataLines(_directory, _files.Write(Provider, Day, _lines).Files[0]);

        Assert.Equal(4, lines.Count);
        var extra = lines[^1];
        Assert.DoesNotContain(extra[1], _lines.Select(static line => line.PaymentId));
        Assert.True(Guid.TryParseExact(extra[1], "D", out _));
        Assert.Equal("capture", extra[2]);
    }

    [Fact]
    public void TheAmountMismatchKnobPutsOneLinesGrossOffByOneAndKeepsNetEqualToGrossMinusFee()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(AmountMismatch: true));

        var lines = SettlementAssert.DataLines(_directory, _files.Write(Provider, Day, _lines).Files[0]);

        Assert.Equal(_lines[0].GrossMinor + 1, long.Parse(lines[0][3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            long.Parse(lines[0][3], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(lines[0][4], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(lines[0][5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(_lines[1].GrossMinor.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[1][3]);
    }

    [Fact]
    public void TheCurrencyMismatchKnobPutsOneLineInAnotherCurrency()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(CurrencyMismatch: true));

        var lines = SettlementAssert.DataLines(_directory, _files.Write(Provider, Day, _lines).Files[0]);

        Assert.Equal(["USD", "EUR", "EUR"], lines.Select(static line => line[6]));
    }

    [Fact]
    public void TheDuplicateFileKnobWritesTheSameContentAgainUnderTheNextSequence()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(DuplicateFile: true));

        var result = _files.Write(Provider, Day, _lines);

        Assert.Equal(["settlement_psp-a_20260314_001.csv", "settlement_psp-a_20260314_002.csv"], result.Files);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_directory, result.Files[0])), File.ReadAllBytes(Path.Combine(_directory, result.Files[1])));
        Assert.All(result.Files, file => Assert.True(SettlementAssert.VerifiesOnDisk(_directory, file)));
    }

    [Fact]
    public void TheCorruptFileKnobWritesAManifestWhoseHashDoesNotMatch()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(CorruptFile: true));

        var result = _files.Write(Provider, Day, _lines);

        Assert.False(SettlementAssert.VerifiesOnDisk(_directory, result.Files[0]));
        var next = _files.Write(Provider, Day, _lines);
        Assert.True(SettlementAssert.VerifiesOnDisk(_directory, next.Files[0]));
    }

    [Fact]
    public void TheLateKnobHoldsTheFileBackUntilItIsReleased()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(Late: true));

        var held = _files.Write(Provider, Day, _lines);

        Assert.True(held.Late);
        Assert.Empty(held.Files);
        Assert.Empty(_files.List(Provider));
        var released = Assert.Single(_files.Release(Provider));
        Assert.Equal(["settlement_psp-a_20260314_001.csv"], released.Files);
        Assert.Equal(held.Sha256, released.Sha256);
        Assert.True(SettlementAssert.VerifiesOnDisk(_directory, released.Files[0]));
        Assert.Empty(_files.Release(Provider));
    }

    [Fact]
    public void ClearingTheFaultsLeavesTheNextFileClean()
    {
        _files.SetFaults(Provider, new SettlementFaultSettings(MissingLine: true, CorruptFile: true));
        _files.SetFaults(Provider, SettlementFaultSettings.None);

        var result = _files.Write(Provider, Day, _lines);

        Assert.Equal(3, result.Lines);
        Assert.True(SettlementAssert.VerifiesOnDisk(_directory, result.Files[0]));
    }
}
