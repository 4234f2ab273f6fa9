namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// One money movement a card provider booked, as its settlement file will show it: <paramref name="GrossMinor"/>
/// is signed (captures and chargeback reversals positive, refunds and chargebacks negative).
/// </summary>
/// <param name="At">When the provider booked it; its UTC day is the value date.</param>
/// <param name="PspReference">The provider's id for the movement: the charge for a capture, the refund or credit, the dispute.</param>
/// <param name="PaymentReference">Our payment id, as we sent it to the provider.</param>
/// <param name="Type">One of <see cref="SettlementTypes"/>.</param>
internal sealed record SettlementEntry(
    DateTimeOffset At, string PspReference, string PaymentReference, string Type, long GrossMinor, string Currency);
