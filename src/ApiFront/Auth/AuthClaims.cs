namespace Payments.Actors.ApiFront.Auth;

/// <summary>Claim types the API reads from access tokens. Inbound claim mapping is off, so these are the JWT names.</summary>
public static class AuthClaims
{
    /// <summary>
    /// The merchant the token acts for. It comes from the token only, never from a request body; an external
    /// authority (Keycloak) must add it with a protocol mapper.
    /// </summary>
    public const string MerchantId = "merchant_id";

    public const string Subject = "sub";
    public const string Scope = "scope";

    /// <summary>The claim name some authorities (Entra ID, Auth0 in some set-ups) use for scopes.</summary>
    public const string Scp = "scp";
}
