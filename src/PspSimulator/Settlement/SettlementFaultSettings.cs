namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// Faults for the next settlement file one provider writes (<c>PUT /admin/settlement-faults/{provider}</c>); each
/// applies once, to the next file written, then all reset. Line faults touch the day's first line.
/// </summary>
/// <param name="MissingLine">The first line is left out.</param>
/// <param name="ExtraLine">A capture line is added for a payment that does not exist.</param>
/// <param name="AmountMismatch">The first line's gross (and so net) is one minor unit more.</param>
/// <param name="CurrencyMismatch">The first line is in another currency (USD, or EUR when it was USD).</param>
/// <param name="DuplicateFile">The same content is written again under the next sequence number.</param>
/// <param name="CorruptFile">The manifest's hash does not match the file.</param>
/// <param name="Late">Nothing is written until <c>POST /admin/settlement-files/{provider}/release</c>.</param>
internal sealed record SettlementFaultSettings(
    bool MissingLine = false,
    bool ExtraLine = false,
    bool AmountMismatch = false,
    bool CurrencyMismatch = false,
    bool DuplicateFile = false,
    bool CorruptFile = false,
    bool Late = false)
{
    public static SettlementFaultSettings None { get; } = new();

    /// <summary>The lines as the faulty file shows them; <paramref name="extraId"/> names the payment that does not exist.</summary>
    public IReadOnlyList<SettlementLine> Apply(IReadOnlyList<SettlementLine> lines, DateOnly valueDate, Guid extraId)
    {
        var faulty = lines.ToList();
        if (faulty.Count > 0 && AmountMismatch)
        {
            var line = faulty[0];
            faulty[0] = line with { GrossMinor = line.GrossMinor + 1, NetMinor = line.NetMinor + 1 };
        }

        if (faulty.Count > 0 && CurrencyMismatch)
        {
            faulty[0] = faulty[0] with { Currency = faulty[0].Currency == "USD" ? "EUR" : "USD" };
        }

        if (faulty.Count > 0 && MissingLine)
        {
            faulty.RemoveAt(0);
        }

        if (ExtraLine)
        {
            var id = extraId.ToString("D");
            faulty.Add(new SettlementLine("extra_" + extraId.ToString("N"), id, SettlementTypes.Capture, 1_000, 0, 1_000, "EUR", valueDate));
        }

        return faulty;
    }
}
