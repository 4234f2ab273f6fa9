namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>The <c>type</c> column of a settlement file.</summary>
internal static class SettlementTypes
{
    public const string Capture = "capture";
    public const string Refund = "refund";
    public const string Chargeback = "chargeback";
    public const string ChargebackReversal = "chargeback_reversal";

    /// <summary>Reserved for a separate fee line; the simulator books fees in each capture's <c>fee_minor</c> instead.</summary>
    public const string Fee = "fee";
}
