using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Authenticates the client of a token request against <c>Auth:Clients</c>. In degraded mode OpenIddict has no
/// application store and skips client authentication, so this handler is the only thing standing between a
/// caller and a token. Errors follow RFC 6749 (<c>invalid_client</c> is answered with 401 by OpenIddict).
/// </summary>
internal sealed class TokenRequestValidator(ConfiguredClients clients, ILogger<TokenRequestValidator> logger)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    /// <summary>Client ids are logged truncated to this length, because an unauthenticated caller chose them.</summary>
    private const int LoggedClientIdLengthMax = 64;

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;

        // OpenIddict already refuses grants that were not allowed; this keeps the handler correct on its own.
        if (!request.IsClientCredentialsGrantType())
        {
            context.Reject(OAuthErrors.UnsupportedGrantType, "Only the client_credentials grant is supported.");
            return default;
        }

        var client = clients.Authenticate(request.ClientId, request.ClientSecret);
        if (client is null)
        {
            AuthLog.ClientAuthenticationFailed(logger, Truncate(request.ClientId));
            context.Reject(OAuthErrors.InvalidClient, "The client credentials are invalid.");
            return default;
        }

        foreach (var scope in request.GetScopes())
        {
            if (!client.Scopes.Contains(scope))
            {
                AuthLog.ScopeNotAllowed(logger, client.ClientId);
                context.Reject(OAuthErrors.InvalidScope, "The client is not allowed one of the requested scopes.");
                return default;
            }
        }

        return default;
    }

    private static string Truncate(string? clientId) =>
        clientId is null ? "(none)" : clientId.Length <= LoggedClientIdLengthMax ? clientId : clientId[..LoggedClientIdLengthMax] + "…";
}
