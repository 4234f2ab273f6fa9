using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// What each provider charges, in the <c>fee_minor</c> column of capture lines only: PSP A 1.4% + 25 minor units,
/// PSP B 1.8%, the percentage rounded half-even to whole minor units. Refunds and chargebacks carry no fee.
/// </summary>
internal static class SettlementFees
{
    public static long For(string provider, string type, long grossMinor)
    {
        if (type != SettlementTypes.Capture)
        {
            return 0;
        }

        return provider switch
        {
            ProviderNames.PspA => Percent(grossMinor, 0.014m) + 25,
            ProviderNames.PspB => Percent(grossMinor, 0.018m),
            _ => 0,
        };
    }

    private static long Percent(long grossMinor, decimal rate) =>
        (long)decimal.Round(grossMinor * rate, 0, MidpointRounding.ToEven);
}
