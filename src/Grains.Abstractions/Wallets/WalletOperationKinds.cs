namespace Payments.Actors.Wallets;

public static class WalletOperationKinds
{
    public const string CashIn = "cashin";
    public const string CashOut = "cashout";
    public const string Hold = "hold";
    public const string Capture = "capture";
    public const string Release = "release";
    public const string PaymentAuthorize = "payment_authorize";
    public const string PaymentCapture = "payment_capture";
    public const string PaymentVoid = "payment_void";
    public const string PaymentRefund = "payment_refund";
}
