using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Builds the identity of an access token for a client that <see cref="TokenRequestValidator"/> authenticated:
/// <c>sub</c> = client id, <c>merchant_id</c> when the client has one, the granted scopes, and the API audience.
/// </summary>
internal sealed class TokenRequestHandler(ConfiguredClients clients, IOptions<AuthOptions> options, ILogger<TokenRequestHandler> logger)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Validation ran first and rejected unknown clients, so a miss here is a bug, not a caller's mistake.
        var client = clients.Find(context.Request.ClientId)
            ?? throw new InvalidOperationException("A token request reached the handler without an authenticated client.");

        var requested = context.Request.GetScopes();
        IEnumerable<string> scopes = requested.IsEmpty ? client.Scopes.Order(StringComparer.Ordinal) : requested;

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Subject, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        if (client.MerchantId is not null)
        {
            identity.SetClaim(AuthClaims.MerchantId, client.MerchantId);
        }

        identity.SetScopes(scopes);

        // OpenIddict turns the resources of the principal into the aud claim of the access token.
        identity.SetResources(options.Value.Audience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        AuthLog.TokenIssued(logger, client.ClientId, string.Join(' ', identity.GetScopes()));
        context.SignIn(new ClaimsPrincipal(identity));
        return default;
    }
}
