namespace Payments.Actors.Grains.Payments;

/// <summary>
/// A payment paid from a wallet: its "PSP" is the wallet grain (authorise = hold, capture = debit,
/// void = release, refund = credit back), chosen instead of routing, never failed over to a card PSP.
/// </summary>
public static class WalletPayments
{
    /// <summary>The psp of a wallet payment, in its state, its API answer and its events (docs/events.md).</summary>
    public const string Psp = "wallet";

    /// <summary>What the payment's card brand reads for a wallet payment, which has no card.</summary>
    public const string CardBrand = "wallet";
}
