namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// The <c>Auth</c> configuration section. With <see cref="Authority"/> empty (the embedded default) ApiFront issues
/// its own tokens for <see cref="Clients"/>; with it set, tokens come from that OIDC authority (Keycloak) and
/// <see cref="Clients"/>, <see cref="Issuer"/> and <see cref="SigningKeyPath"/> are ignored.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public const string IssuerDefault = "http://127.0.0.1:8080/";
    public const string AudienceDefault = "payments-api";
    public static readonly TimeSpan AccessTokenLifetimeDefault = TimeSpan.FromHours(1);

    /// <summary>Where the signing key lives under the platform data directory when no path is configured.</summary>
    public const string SigningKeyRelativePath = "auth/signing-key.pem";
    public const string DataDirectoryKey = "Platform:DataDirectory";
    public const string DataDirectoryDefault = "./.data";

    public static readonly TimeSpan AccessTokenLifetimeMin = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan AccessTokenLifetimeMax = TimeSpan.FromHours(24);
    public const int ClientsMax = 1_000;
    public const int ClientIdLengthMax = 128;
    public const int ClientSecretLengthMin = 16;
    public const int ClientSecretLengthMax = 512;
    public const int MerchantIdLengthMax = 128;

    /// <summary>The <c>iss</c> of tokens issued in embedded mode, and the only issuer accepted then.</summary>
    public string Issuer { get; set; } = IssuerDefault;

    /// <summary>The <c>aud</c> every accepted token must carry, in both modes.</summary>
    public string Audience { get; set; } = AudienceDefault;

    public TimeSpan AccessTokenLifetime { get; set; } = AccessTokenLifetimeDefault;

    /// <summary>
    /// PEM file holding the RSA private key that signs (embedded server) and verifies (JWT bearer) tokens.
    /// Empty means <c>&lt;Platform:DataDirectory or ./.data&gt;/auth/signing-key.pem</c>; the file is created on first use.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>An external OIDC authority, e.g. <c>https://keycloak.example/realms/payments</c>. Empty means embedded mode.</summary>
    public string? Authority { get; set; }

    /// <summary>Only meaningful with <see cref="Authority"/>: refuse to fetch discovery metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public List<AuthClientOptions> Clients { get; set; } = [];

    public bool IsEmbedded => string.IsNullOrWhiteSpace(Authority);
}
