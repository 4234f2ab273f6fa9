namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Authorization policy names. Each one authenticates with the JWT bearer scheme only and requires its scope;
/// the two payments policies also require a <see cref="AuthClaims.MerchantId"/> claim, because every payments
/// endpoint acts on behalf of exactly one merchant.
/// </summary>
public static class Policies
{
    public const string PaymentsRead = "payments.read";
    public const string PaymentsWrite = "payments.write";
    public const string Operator = "operator";
}
