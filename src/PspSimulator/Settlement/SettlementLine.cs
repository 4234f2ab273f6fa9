namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>One line of a settlement file; amounts in signed minor units, <c>NetMinor = GrossMinor - FeeMinor</c>.</summary>
internal sealed record SettlementLine(
    string PspReference, string PaymentId, string Type, long GrossMinor, long FeeMinor, long NetMinor, string Currency, DateOnly ValueDate);
