using Microsoft.Extensions.Logging;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>Log messages of the auth edge. Client secrets and tokens are never arguments here.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Created the token signing key at {Path}")]
    public static partial void SigningKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Token request rejected: client authentication failed for client id {ClientId}")]
    public static partial void ClientAuthenticationFailed(ILogger logger, string clientId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Token request rejected: client {ClientId} asked for scopes it does not hold")]
    public static partial void ScopeNotAllowed(ILogger logger, string clientId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Issued an access token to client {ClientId} with scopes {Scopes}")]
    public static partial void TokenIssued(ILogger logger, string clientId, string scopes);
}
