namespace Payments.Actors.Wallets;

public static class WalletOperationStates
{
    public const string Pending = "PENDING";
    public const string Succeeded = "SUCCEEDED";
    public const string Declined = "DECLINED";
    public const string Failed = "FAILED";
}
