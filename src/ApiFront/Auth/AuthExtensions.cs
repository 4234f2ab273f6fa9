using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Merchant authentication for the <c>/v1</c> API: OAuth2 client credentials, JWT bearer validation, and the
/// scope policies.
/// <para>
/// Embedded mode (<c>Auth:Authority</c> empty): an OpenIddict server in this process answers
/// <c>POST /connect/token</c> for the clients of <c>Auth:Clients</c>. There is no endpoint to map: OpenIddict
/// serves the token endpoint from inside <c>UseAuthentication()</c>. Tokens are RS256 JWTs signed with the key
/// file at <c>Auth:SigningKeyPath</c>, which every ApiFront on the machine shares. The token endpoint accepts
/// plain HTTP because the embedded default listens on loopback; anything reachable from elsewhere must sit
/// behind TLS termination or use an external authority.
/// </para>
/// <para>
/// Authority mode (<c>Auth:Authority</c> set, e.g. a Keycloak realm): no token server is registered; JWT bearer
/// validates against the authority's discovery metadata. The authority must issue <c>aud</c> = <c>Auth:Audience</c>,
/// a <c>scope</c> claim and a <c>merchant_id</c> claim (Keycloak: audience and hard-coded-claim mappers).
/// </para>
/// Host wiring: <c>builder.AddPaymentsAuth()</c>, then <c>app.UseAuthentication(); app.UseAuthorization();</c>
/// before the endpoints, and <c>.RequireAuthorization(Policies.PaymentsRead)</c> (or Write) on merchant routes.
/// </summary>
public static class AuthExtensions
{
    public const string TokenEndpointPath = "connect/token";

    /// <summary>
    /// Tokens are minted by a clock we do not control when the authority is external; a small tolerance keeps
    /// the expiry meaningful while absorbing ordinary drift.
    /// </summary>
    public static readonly TimeSpan TokenClockSkew = TimeSpan.FromSeconds(30);

    private const int EphemeralEncryptionKeyBytes = 32;

    /// <inheritdoc cref="AddPaymentsAuth(IServiceCollection, IConfiguration)"/>
    public static WebApplicationBuilder AddPaymentsAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPaymentsAuth(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="AuthOptions"/> (validated at start-up), the embedded OpenIddict token server when
    /// <c>Auth:Authority</c> is empty, the JWT bearer scheme as the default scheme, and the <see cref="Policies"/>.
    /// Works on any host that serves the ApiFront endpoints, including the silo when it co-hosts them.
    /// </summary>
    public static IServiceCollection AddPaymentsAuth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddOptions<AuthOptions>()
            .Bind(section)
            .PostConfigure(options => options.SigningKeyPath = ResolveSigningKeyPath(options.SigningKeyPath, configuration))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());

        // The mode decides which services exist, so it is read here; every other setting is read through
        // IOptions<AuthOptions> when first needed, after validation.
        var embedded = string.IsNullOrWhiteSpace(section[nameof(AuthOptions.Authority)]);
        if (embedded)
        {
            AddEmbeddedTokenServer(services);
        }

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider>((jwt, auth, provider) => ConfigureJwtBearer(jwt, auth.Value, provider));
        services.AddHostedService<AuthStartupCheck>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.PaymentsRead, policy => RequireScope(policy, Scopes.PaymentsRead, merchant: true))
            .AddPolicy(Policies.PaymentsWrite, policy => RequireScope(policy, Scopes.PaymentsWrite, merchant: true))
            .AddPolicy(Policies.Operator, policy => RequireScope(policy, Scopes.Operator, merchant: false));

        return services;
    }

    /// <summary>
    /// The merchant the caller's token acts for, or null when the token carries none (or more than one, which
    /// is treated as none rather than picking one). Never read a merchant id from the request body.
    /// </summary>
    public static string? GetMerchantId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string? merchantId = null;
        foreach (var claim in user.FindAll(AuthClaims.MerchantId))
        {
            if (merchantId is not null || string.IsNullOrWhiteSpace(claim.Value))
            {
                return null;
            }

            merchantId = claim.Value;
        }

        return merchantId;
    }

    /// <summary>
    /// True when the token grants <paramref name="scope"/>, whether the scopes arrive as one space-separated
    /// <c>scope</c> claim (OpenIddict, Keycloak) or as several <c>scope</c>/<c>scp</c> claims.
    /// </summary>
    public static bool HasScope(this ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        foreach (var claim in user.Claims)
        {
            if (claim.Type is not (AuthClaims.Scope or AuthClaims.Scp))
            {
                continue;
            }

            var value = claim.Value.AsSpan();
            foreach (var range in value.Split(' '))
            {
                if (value[range].SequenceEqual(scope))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void AddEmbeddedTokenServer(IServiceCollection services)
    {
        services.TryAddSingleton<AuthSigningKey>();
        services.TryAddSingleton<ConfiguredClients>();
        services.AddSingleton<ILogger<OpenIddictServerDispatcher>, OpenIddictServerLogger>();

        services.AddOpenIddict().AddServer(server =>
        {
            // Degraded mode: no application, scope or token stores; clients come from configuration and are
            // authenticated by TokenRequestValidator.
            server.EnableDegradedMode();
            server.AllowClientCredentialsFlow();
            server.SetTokenEndpointUris(TokenEndpointPath);

            // Plain signed JWTs, so the standard JWT bearer handler (and any other service) can read them.
            // OpenIddict still insists on an encryption key although no issued token uses it; an ephemeral
            // symmetric key satisfies it without the cost of generating a second RSA key at every start.
            server.DisableAccessTokenEncryption();
            server.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(EphemeralEncryptionKeyBytes)));

            server.UseAspNetCore().DisableTransportSecurityRequirement();

            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseSingletonHandler<TokenRequestValidator>());
            server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseSingletonHandler<TokenRequestHandler>());
        });

        services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<AuthOptions>, AuthSigningKey>((server, auth, key) =>
            {
                server.Issuer = new Uri(auth.Value.Issuer, UriKind.Absolute);
                server.AccessTokenLifetime = auth.Value.AccessTokenLifetime;
                server.SigningCredentials.Add(new SigningCredentials(key.Key, SecurityAlgorithms.RsaSha256));

                // Degraded mode rejects any requested scope not registered here with invalid_scope.
                foreach (var scope in Scopes.All)
                {
                    server.Scopes.Add(scope);
                }
            });
    }

    private static void ConfigureJwtBearer(JwtBearerOptions jwt, AuthOptions auth, IServiceProvider provider)
    {
        // Claims keep their JWT names (sub, scope, merchant_id) instead of the legacy WS-Federation URIs.
        jwt.MapInboundClaims = false;
        jwt.Events = new ApiBearerEvents();
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TokenClockSkew,
            NameClaimType = AuthClaims.Subject,
        };

        if (auth.IsEmbedded)
        {
            var key = provider.GetRequiredService<AuthSigningKey>().Key;
            jwt.TokenValidationParameters.ValidIssuer = new Uri(auth.Issuer, UriKind.Absolute).AbsoluteUri;
            jwt.TokenValidationParameters.IssuerSigningKey = key;
            jwt.TokenValidationParameters.ValidateIssuerSigningKey = true;
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
        }
        else
        {
            // The issuer and signing keys come from the authority's discovery document.
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        }
    }

    private static void RequireScope(AuthorizationPolicyBuilder policy, string scope, bool merchant)
    {
        // The scheme is named so the policies keep working when a co-hosting process (the silo) registers
        // other schemes or another default.
        policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasScope(scope));
        if (merchant)
        {
            policy.RequireAssertion(context => context.User.GetMerchantId() is not null);
        }
    }

    private static string ResolveSigningKeyPath(string? configured, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var dataDirectory = configuration[AuthOptions.DataDirectoryKey];
        return Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? AuthOptions.DataDirectoryDefault : dataDirectory, AuthOptions.SigningKeyRelativePath);
    }
}
