using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// Turns a provider's day of bookings into a settlement file and its SHA-256 manifest; pure, so the same
/// bookings always give the same bytes. See <c>docs/settlement-files.md</c>.
/// </summary>
internal static class SettlementWriter
{
    public const string Header = "psp_reference,payment_id,type,gross_minor,fee_minor,net_minor,currency,value_date";

    /// <summary>The day's lines, ordered by booking time, then PSP reference, then type.</summary>
    public static IReadOnlyList<SettlementLine> Lines(string provider, DateOnly valueDate, IEnumerable<SettlementEntry> entries) =>
        entries
            .Where(entry => DateOnly.FromDateTime(entry.At.UtcDateTime) == valueDate)
            .OrderBy(static entry => entry.At)
            .ThenBy(static entry => entry.PspReference, StringComparer.Ordinal)
            .ThenBy(static entry => entry.Type, StringComparer.Ordinal)
            .Select(entry => ToLine(provider, valueDate, entry))
            .ToList();

    public static SettlementLine ToLine(string provider, DateOnly valueDate, SettlementEntry entry)
    {
        var fee = SettlementFees.For(provider, entry.Type, entry.GrossMinor);
        return new SettlementLine(
            entry.PspReference, PaymentId(entry.PaymentReference), entry.Type, entry.GrossMinor, fee, entry.GrossMinor - fee, entry.Currency, valueDate);
    }

    /// <summary>Our payment id as a canonical UUID with dashes; a reference that is not a UUID is kept as it is.</summary>
    public static string PaymentId(string reference) =>
        Guid.TryParse(reference, out var id) ? id.ToString("D") : reference;

    /// <summary>The file's text: the header and one line each, every line ending in <c>\n</c>, UTF-8 without BOM.</summary>
    public static byte[] Render(IEnumerable<SettlementLine> lines)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var line in lines)
        {
            text.Append(Field(line.PspReference)).Append(',')
                .Append(Field(line.PaymentId)).Append(',')
                .Append(line.Type).Append(',')
                .Append(line.GrossMinor.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(line.FeeMinor.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(line.NetMinor.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(line.Currency)).Append(',')
                .Append(line.ValueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary><c>settlement_&lt;provider&gt;_&lt;yyyyMMdd&gt;_&lt;seq&gt;.csv</c>, the sequence three digits from 001.</summary>
    public static string FileName(string provider, DateOnly valueDate, int seq) =>
        string.Create(CultureInfo.InvariantCulture, $"settlement_{provider}_{valueDate:yyyyMMdd}_{seq:D3}.csv");

    public static string ManifestName(string fileName) => fileName + ".sha256";

    public static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The manifest in <c>sha256sum</c> format: hash, two spaces, the file's name, a newline.</summary>
    public static byte[] Manifest(string sha256Hex, string fileName) => Encoding.UTF8.GetBytes($"{sha256Hex}  {fileName}\n");

    /// <summary>RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
