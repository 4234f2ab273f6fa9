namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// The OAuth2 scopes of the merchant API. Tokens carry them in a space-separated <c>scope</c> claim
/// (OpenIddict, Keycloak) or as several <c>scope</c>/<c>scp</c> claims; <see cref="AuthExtensions.HasScope"/> reads both.
/// </summary>
public static class Scopes
{
    public const string PaymentsRead = "payments:read";
    public const string PaymentsWrite = "payments:write";

    /// <summary>Reserved for the operator APIs; operator clients carry no merchant id.</summary>
    public const string Operator = "operator";

    /// <summary>Every scope the embedded token server will issue. A configured client may only hold these.</summary>
    public static readonly IReadOnlyList<string> All = [PaymentsRead, PaymentsWrite, Operator];
}
