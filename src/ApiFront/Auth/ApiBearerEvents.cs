using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Payments.Actors.ApiFront.Edge.Errors;

namespace Payments.Actors.ApiFront.Auth;

/// <summary>
/// Answers 401 and 403 of the bearer scheme with the API error model instead of an empty body.
/// The messages are fixed texts: token validation details stay in the server log, never in the response.
/// </summary>
internal sealed class ApiBearerEvents : JwtBearerEvents
{
    public override Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var failure = context.AuthenticateFailure;

        // RFC 6750 §3: a request without a token gets a bare challenge, a rejected token gets invalid_token.
        context.Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var message = failure switch
        {
            null => "A bearer access token is required.",
            SecurityTokenExpiredException => "The access token has expired.",
            _ => "The access token is invalid.",
        };
        return ApiErrorResults.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);
    }

    public override Task Forbidden(ForbiddenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return ApiErrorResults.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
            "The access token does not grant access to this resource.");
    }
}
