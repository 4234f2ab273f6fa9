using System.Security.Cryptography;
using System.Text;
using Payments.Actors.PspSimulator.Settlement;

namespace Payments.Actors.PspSimulatorTests;

public sealed class SettlementWriterTests
{
    private static readonly DateOnly Day = new(2026, 3, 14);
    private static readonly DateTimeOffset Noon = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFileStartsWithTheDocumentedHeaderAndEndsEveryLineWithANewline()
    {
        var text = Render("psp-a", [Entry(Noon, "pa_1", SettlementTypes.Capture, 10_000)]);

        Assert.StartsWith("psp_reference,payment_id,type,gross_minor,fee_minor,net_minor,currency,value_date\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void AnEmptyDayIsJustTheHeader() =>
        Assert.Equal(SettlementWriter.Header + "\n", Render("psp-b", []));

    [Fact]
    public void ACaptureLineCarriesOurPaymentIdAsACanonicalUuidAndNetIsGrossMinusFee()
    {
        var reference = Guid.NewGuid();
        var line = SettlementWriter.Lines("psp-a", Day, [new SettlementEntry(Noon, "pa_1", reference.ToString("N"), SettlementTypes.Capture, 10_000, "EUR")]).Single();

        Assert.Equal(reference.ToString("D"), line.PaymentId);
        Assert.Equal(10_000, line.GrossMinor);
        Assert.Equal(140 + 25, line.FeeMinor);
        Assert.Equal(line.GrossMinor - line.FeeMinor, line.NetMinor);
        Assert.Equal($"pa_1,{reference:D},capture,10000,165,9835,EUR,2026-03-14", Render("psp-a", [new SettlementEntry(Noon, "pa_1", reference.ToString("N"), SettlementTypes.Capture, 10_000, "EUR")]).Split('\n')[1]);
    }

    [Theory]
    [InlineData("psp-a", 1_250, 18 + 25)]
    [InlineData("psp-a", 1_750, 24 + 25)]
    [InlineData("psp-b", 2_500, 45)]
    [InlineData("psp-b", 25, 0)]
    [InlineData("psp-b", 75, 1)]
    public void CaptureFeesFollowEachProvidersRuleRoundedHalfEven(string provider, long gross, long fee) =>
        Assert.Equal(fee, SettlementFees.For(provider, SettlementTypes.Capture, gross));

    [Fact]
    public void RefundsAndChargebacksAreNegativeAndCarryNoFeeWhileAReversalIsPositive()
    {
        var lines = SettlementWriter.Lines("psp-b", Day,
        [
            Entry(Noon, "t1", SettlementTypes.Capture, 5_000),
            Entry(Noon.AddMinutes(1), "t1:R1", SettlementTypes.Refund, -1_000),
            Entry(Noon.AddMinutes(2), "t1:D1", SettlementTypes.Chargeback, -4_000),
            Entry(Noon.AddMinutes(3), "t1:D1", SettlementTypes.ChargebackReversal, 4_000),
        ]);

        Assert.Equal([5_000L, -1_000, -4_000, 4_000], lines.Select(static line => line.GrossMinor));
        Assert.Equal([90L, 0, 0, 0], lines.Select(static line => line.FeeMinor));
        Assert.All(lines, static line => Assert.Equal(line.GrossMinor - line.FeeMinor, line.NetMinor));
    }

    [Fact]
    public void LinesAreOrderedByTimeThenReferenceAndOtherDaysAreLeftOut()
    {
        var lines = SettlementWriter.Lines("psp-a", Day,
        [
            Entry(Noon.AddHours(1), "pa_a", SettlementTypes.Capture, 100),
            Entry(Noon, "pa_c", SettlementTypes.Capture, 100),
            Entry(Noon, "pa_b", SettlementTypes.Capture, 100),
            Entry(Noon.AddDays(1), "pa_d", SettlementTypes.Capture, 100),
            Entry(new DateTimeOffset(2026, 3, 14, 23, 30, 0, TimeSpan.FromHours(-2)), "pa_e", SettlementTypes.Capture, 100),
        ]);

        Assert.Equal(["pa_b", "pa_c", "pa_a"], lines.Select(static line => line.PspReference));
    }

    [Fact]
    public void TheSameBookingsInAnyOrderRenderTheSameBytes()
    {
        SettlementEntry[] entries = [Entry(Noon, "pa_2", SettlementTypes.Capture, 700), Entry(Noon, "pa_1", SettlementTypes.Refund, -300)];

        Assert.Equal(
            SettlementWriter.Render(SettlementWriter.Lines("psp-a", Day, entries)),
            SettlementWriter.Render(SettlementWriter.Lines("psp-a", Day, entries.Reverse())));
    }

    [Fact]
    public void FileNamesFollowTheConventionWithAThreeDigitSequence()
    {
        Assert.Equal("settlement_psp-a_20260314_001.csv", SettlementWriter.FileName("psp-a", Day, 1));
        Assert.Equal("settlement_psp-b_20260314_012.csv.sha256", SettlementWriter.ManifestName(SettlementWriter.FileName("psp-b", Day, 12)));
    }

    [Fact]
    public void TheManifestIsInSha256sumFormatAndVerifiesTheFile()
    {
        var content = SettlementWriter.Render(SettlementWriter.Lines("psp-a", Day, [Entry(Noon, "pa_1", SettlementTypes.Capture, 999)]));
        var name = SettlementWriter.FileName("psp-a", Day, 1);

        var manifest = Encoding.UTF8.GetString(SettlementWriter.Manifest(SettlementWriter.Sha256Hex(content), name));

        Assert.Matches("^[0-9a-f]{64}  settlement_psp-a_20260314_001\\.csv\n$", manifest);
        Assert.True(SettlementAssert.Verifies(manifest, name, content));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), manifest[..64]);
    }

    [Fact]
    public void AFieldHoldingACommaIsQuoted() =>
        Assert.Contains("\"a,b\"", Render("psp-a", [new SettlementEntry(Noon, "pa_1", "a,b", SettlementTypes.Capture, 1, "EUR")]), StringComparison.Ordinal);

    private static SettlementEntry Entry(DateTimeOffset at, string pspReference, string type, long gross) =>
        new(at, pspReference, "0f8fad5bd9cb469fa16570867728950e", type, gross, "EUR");

    private static string Render(string provider, IEnumerable<SettlementEntry> entries) =>
        Encoding.UTF8.GetString(SettlementWriter.Render(SettlementWriter.Lines(provider, Day, entries)));
}
