namespace Payments.Actors.Wallets;

public static class WalletHoldStates
{
    public const string Held = "HELD";
    public const string Captured = "CAPTURED";
    public const string Released = "RELEASED";
    public const string Expired = "EXPIRED";
}
