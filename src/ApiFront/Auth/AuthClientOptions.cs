namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// One OAuth2 client of the embedded token server. A class and not a record on purpose: a record's generated
/// <c>ToString</c> would print <see cref="ClientSecret"/> into any log line that formats the object.
/// </summary>
public sealed class AuthClientOptions
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The merchant the client acts for; empty for operator clients.</summary>
    public string? MerchantId { get; set; }

    /// <summary>Scopes the client may request; a token request naming none gets all of them.</summary>
    public List<string> Scopes { get; set; } = [];

    public override string ToString() => ClientId;
}
